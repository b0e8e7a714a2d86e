// Placeholder entry (replaced by the rocklet implementation): answers /is_alive only.
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ is_alive: true, message: '' }));
}).listen(Number(arg('port', '22555')), arg('host', '0.0.0.0'));
