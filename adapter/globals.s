# The adapter's one piece of mutable state outside the stack: the address of
# its state block (adapter/preview1.c), held in a wasm global. An adapter shares
# the main module's memory and may own no data in it (no data segments, no
# static variables): its state lives in pages it grows itself, found through
# this global. 0 = not yet allocated.

  .globaltype wk_adapter_state, i32
wk_adapter_state:

  .globl wk_state_get
  .type wk_state_get,@function
wk_state_get:
  .functype wk_state_get () -> (i32)
  global.get wk_adapter_state
  end_function

  .globl wk_state_set
  .type wk_state_set,@function
wk_state_set:
  .functype wk_state_set (i32) -> ()
  local.get 0
  global.set wk_adapter_state
  end_function
