/* wkit's preview1 adapters (adapter/preview1.c), embedded into wcompose by the build
 * ($(BUILD)/gen/adapter_blob.c, written by adapter/build.sh). When the build had no toolchain
 * for them the lengths are 0 and wk_adapter_missing says why. */
#ifndef WCOMPOSE_ADAPTER_BUILTIN_H
#define WCOMPOSE_ADAPTER_BUILTIN_H
extern const unsigned char wk_adapter_command[], wk_adapter_reactor[];
extern const unsigned int wk_adapter_command_len, wk_adapter_reactor_len;
extern const char wk_adapter_missing[];
#endif
