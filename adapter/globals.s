# The adapter's one piece of mutable state outside the stack: the address of
# its state block (adapter/preview1.c), held in a wasm global. An adapter shares
# the main module's memory and may own no data in it (no data segments, no
# static variables): its state lives in pages it grows itself, found through
# this global. 0 = not yet allocated. adapter/preview1.c reads and writes it with
# global.get / global.set in inline assembly (wk_state_get, wk_state_set), not through calls.

  .globl wk_adapter_state
  .globaltype wk_adapter_state, i32
wk_adapter_state:
