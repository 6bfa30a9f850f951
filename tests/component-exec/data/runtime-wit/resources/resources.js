// The `resources` world of ../shared/corpora/wit-bindgen-runtime-wit/resources in JS
// (componentize-js): the same behaviour as resources.c except what JS cannot see
// (no destructor hook: nothing is printed on drop and z.num-dropped stays 0; no
// environment: no RT_CASE handle errors inside test-imports). Composed with the C
// leaf and runner by the corpus's compose.wac (suite-runtime-wit.sh), so a JS
// component exports resources and a C component imports them.
import { Y } from 'imports'; // the world's inline interface import

class X {
  constructor(a) { this.a = a; }
  getA() { return this.a; }
  setA(a) { this.a = a; }
  static add(x, a) { return new X(x.a + a); }
}
class Z {
  constructor(a) { this.a = a; }
  getA() { return this.a; }
  static numDropped() { return 0; }
}
class KebabCase {
  constructor(a) { this.a = a; }
  getA() { return this.a; }
  static takeOwned(k) { return k.a; }
}

export const exports = {
  X, Z, KebabCase,
  add(a, b) { return new Z(a.a + b.a); },
  consume(x) { console.log(`resources.js: consume a=${x.a}`); },
  testImports() {
    const y = new Y(1);
    if (y.getA() !== 1) throw 'y.get-a after constructor(1)';
    y.setA(2);
    if (y.getA() !== 2) throw 'y.get-a after set-a(2)';
    const y2 = Y.add(y, 3);
    if (y2.getA() !== 5) throw 'y.add(y, 3).get-a';
  },
};
