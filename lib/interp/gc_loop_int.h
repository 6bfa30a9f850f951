/*
 * Handler of the WebAssembly 3.0 GC instructions (internal.h IOP_GC, gc.h), included by loop.h
 * inside its dispatch, in both loops. The work is out of line (gc.c wk_gc_exec): only modules
 * that use GC run it, and the 2.0 handlers' code is unchanged. Not a public header.
 */
  CASE(GC) {
    int t_ = wk_gc_exec(s, inst, fp, ip);
    if (__builtin_expect(t_ != 0, 0)) TRAP(t_ - 1);
    ip += 7;
    NEXT();
  }
