// The `test` world of ../shared/corpora/wit-bindgen-runtime-wit/variants in JS
// (componentize-js): the same cases as variants.c (variants.cases.json) run on it
// under wrun --invoke and under jco transpile + node (suite-runtime-wit.sh), so a JS
// component takes and returns options, results, enums, bools, variants and tuples.
// componentize-js: options are the value or undefined, variants and results inside
// other types are {tag, val}, a top-level result is the returned ok value or the
// thrown err value.
export const toTest = {
  roundtripOption(a) { return a === undefined ? undefined : Math.trunc(a); },
  roundtripResult(a) {
    if (a.tag === 'ok') return a.val * 2;
    throw Math.trunc(a.val);
  },
  roundtripEnum(a) { return a; },
  invertBool(a) { return !a; },
  variantCasts(a) { return a; },
  variantZeros(a) { return a; },
  variantTypedefs(a, b, c) {},
  variantEnums(a, b, c) { return [!a, b.tag === 'ok' ? { tag: 'err' } : { tag: 'ok' }, c]; },
};
