// One tap used twice, read with js-lnurl's getParams the way a wallet does: prints what the library
// hands the wallet for the replay (on a 4xx it reports "<url> returned error: <body>" as the reason).
//
//   node replay.mjs <gateway base URL> <admin API key>
import crypto from 'node:crypto';
import { getParams } from 'js-lnurl';

const [gateway, apiKey] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
const post = async (path, body) =>
  (await fetch(gateway + path, { method: 'POST', headers, body: body && JSON.stringify(body) })).json();

const card = await post('/api/v1/cards', { name: 'replay', uid: '04' + crypto.randomBytes(6).toString('hex') });
await post(`/api/v1/cards/${card.id}/credit`, { amountSat: 5_000 });
const tap = await post(`/api/v1/dev/cards/${card.id}/tap`);
const offer = await getParams(tap.lnurl);
const { bolt11 } = await post('/api/v1/dev/invoices', { amountSat: 1_000 });
const paid = await (await fetch(`${offer.callback}?k1=${offer.k1}&pr=${bolt11}`)).json();
let result;
try {
  result = { returned: await getParams(tap.lnurl) };
} catch (e) {
  result = { threw: String(e.message ?? e) };
}
console.log(JSON.stringify({ paid: paid.status, ...result }));
