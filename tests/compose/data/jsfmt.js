// The JS side of suite-e2e.sh's C + JS composition (world js-format in jsfmt.wit),
// made a component by componentize-js.
export const format = {
  shout(text) { return text.toUpperCase() + '!'; },
  join(words, sep) { return [words.join(sep), words.length]; },
};
