// A wasi:http/proxy handler in JS (componentize-js, the `fetch` event), used by
// tests/http/suite-serve.sh: the same routes as handler.c where JS can express them.
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(req) {
  const url = new URL(req.url);
  const p = url.pathname;
  if (p === '/hello') return new Response('hello from wasi:http\n', { headers: { 'content-type': 'text/plain' } });
  if (p === '/echo') {
    const b = new Uint8Array(await req.arrayBuffer());
    return new Response(b, { headers: { 'x-method': req.method, 'x-body-length': String(b.length), 'x-path': p } });
  }
  if (p.startsWith('/status/')) return new Response('', { status: parseInt(p.slice(8), 10) });
  if (p === '/big') {
    const n = parseInt(url.searchParams.get('n') || '0', 10);
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = 97 + (i % 26);
    return new Response(b);
  }
  if (p === '/headers') {
    let s = '';
    for (const [k, v] of req.headers) s += `${k}: ${v}\n`;
    return new Response(s);
  }
  if (p === '/fetch') {
    const target = url.search.slice(1);
    try {
      const r = await fetch('http://' + target);
      return new Response(await r.text(), { status: r.status, headers: { 'x-upstream': 'yes' } });
    } catch (e) {
      return new Response('fetch failed: ' + e + '\n', { status: 502 });
    }
  }
  if (p === '/loop') { for (;;) {} }
  return new Response('not found\n', { status: 404 });
}
