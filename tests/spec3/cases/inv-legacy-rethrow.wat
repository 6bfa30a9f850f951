(module (func (block (try (do) (catch_all (rethrow 1))))))
