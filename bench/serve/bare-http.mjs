// The floor any framework is measured against: plain node:http doing the least work an honest iris
// predict endpoint must do (parse the query, check and convert the four fields, JSON.stringify the
// same body). No model: the tree walk is a few comparisons, noise next to the HTTP cost.
// Usage: node bench/serve/bare-http.mjs <port>
import { createServer } from 'node:http';

const FIELDS = ['sepal length', 'sepal width', 'petal length', 'petal width'];
const METADATA = { service_name: 'iris', service_version: '0.1' };
const port = Number(process.argv[2] ?? 0);

const server = createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (req.method !== 'GET' || path !== '/predict') return send(res, 404, { metadata: { ...METADATA, status: 'ERROR', error_code: 404 } });
  const query = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
  const sample = new Float64Array(FIELDS.length);
  for (let i = 0; i < FIELDS.length; i++) {
    const raw = query.get(FIELDS[i]);
    sample[i] = raw === null ? Number.NaN : Number(raw);
    if (Number.isNaN(sample[i])) return send(res, 400, { metadata: { ...METADATA, status: 'ERROR', error_code: 400 } });
  }
  send(res, 200, { metadata: { ...METADATA, status: 'OK', error_code: 0, model_name: 'default', model_version: 1 }, result: 'Iris-setosa' });
});

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

server.listen(port, '127.0.0.1', () => console.log(`Serving on http://127.0.0.1:${server.address().port}`));
