(module (memory 1) (func (drop (memory.size 1))))
