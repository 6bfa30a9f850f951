export const greet = {
  greet(name) { return `hello ${name}`; },
  area(s) { if (s.tag === 'circle') return 3.14159 * s.val * s.val; if (s.tag === 'rect') return s.val.x * s.val.y; throw 'none'; },
};
export function add(a, b) { return a + b; }
