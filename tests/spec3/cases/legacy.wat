(module
  (tag $e (param i32))
  (tag $u)
  (type $ii (func (param i32) (result i32)))
  (func $flat (param i32) (result i32)
    local.get 0
    try $t (type $ii)
      throw $e
    catch $e
      drop
      try $in (result i32)
        rethrow $t
      catch_all
        rethrow $in
      end $in
    catch $u
      i32.const 1
    catch_all
      try
        rethrow 1
      delegate $t
      unreachable
    end $t)
  (func $folded (result i32)
    (try $a (result i32)
      (do (try (do (throw $u)) (delegate 1)) (i32.const 0))
      (catch $e)
      (catch $u (block $b (try (do (rethrow $a)) (delegate $b))) (i32.const 2))))
  (func (try (do (throw $u)) (delegate 0)))
  (func (try (do) (catch_all (try (do) (catch $u (rethrow 1))))))
  (func (result i32) (try (result i32) (do (i32.const 1)))))
