// The `test` world of ../shared/corpora/wit-bindgen-runtime-wit/lists in JS
// (componentize-js), with lists.c's behaviour: the list-param* functions throw (a
// trap) unless given exactly wit-bindgen's values, list-result* return them, the
// minmax / roundtrip functions return their arguments. Run on the cases of
// lists.cases.json under wrun --invoke and jco transpile + node (suite-runtime-wit.sh).
const check = (ok) => { if (!ok) throw new Error('unexpected argument'); };
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export const toTest = {
  emptyListParam(a) { check(a.length === 0); },
  emptyStringParam(a) { check(a === ''); },
  emptyListResult() { return new Uint8Array(0); },
  emptyStringResult() { return ''; },
  listParam(a) { check(same(Array.from(a), [1, 2, 3, 4])); },
  listParam2(a) { check(a === 'foo'); },
  listParam3(a) { check(same(a, ['foo', 'bar', 'baz'])); },
  listParam4(a) { check(a.length === 2 && same(a[0], ['foo', 'bar']) && same(a[1], ['baz'])); },
  listParam5(a) { check(a.length === 2 && same(a[0], [1, 2, 3]) && same(a[1], [4, 5, 6])); },
  listParamLarge(a) { check(a.length === 1000 && a.every((s, i) => s === 's' + i)); },
  listResult() { return new Uint8Array([1, 2, 3, 4, 5]); },
  listResult2() { return 'hello!'; },
  listResult3() { return ['hello,', 'world!']; },
  listMinmax8(a, b) { return [a, b]; },
  listMinmax16(a, b) { return [a, b]; },
  listMinmax32(a, b) { return [a, b]; },
  listMinmax64(a, b) { return [a, b]; },
  listMinmaxFloat(a, b) { return [a, b]; },
  listRoundtrip(a) { return a; },
  stringRoundtrip(a) { return a; },
  wasiHttpHeadersRoundtrip(a) { return a; },
  allocatedBytes() { return 0; },
};
