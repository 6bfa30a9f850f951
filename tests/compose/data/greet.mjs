// The example:greeter/greet import for `jco run --jco-map` (suite-new.sh, greetapp.c).
export function greet(name, text) {
  return `hello ${name}, ${text.length} chars`;
}
