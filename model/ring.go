package model

// Ring is the reference model of netbuf.Ring: a slice that grows at the
// back and shrinks at the front, refusing to grow past its capacity.
type Ring[T any] struct {
	Capacity int
	Items    []T
}

// NewRing mirrors netbuf.NewRing.
func NewRing[T any](capacity int) (*Ring[T], error) {
	if capacity < 1 || capacity > MaxCapacity {
		return nil, ErrInvalidSize
	}
	return &Ring[T]{Capacity: capacity}, nil
}

func (r *Ring[T]) Len() int { return len(r.Items) }
func (r *Ring[T]) Cap() int { return r.Capacity }

func (r *Ring[T]) Push(v T) error {
	if len(r.Items) == r.Capacity {
		return ErrWouldBlock
	}
	r.Items = append(r.Items, v)
	return nil
}

func (r *Ring[T]) Pop() (T, error) {
	var zero T
	if len(r.Items) == 0 {
		return zero, ErrEmpty
	}
	v := r.Items[0]
	r.Items = r.Items[1:]
	return v, nil
}

func (r *Ring[T]) Peek() (T, error) {
	var zero T
	if len(r.Items) == 0 {
		return zero, ErrEmpty
	}
	return r.Items[0], nil
}

func (r *Ring[T]) Reset() { r.Items = nil }
