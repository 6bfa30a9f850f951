(module (func (block (try (do) (delegate 2)))))
