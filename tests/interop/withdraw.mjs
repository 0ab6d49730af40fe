// Drives a RUNNING BoltGate the way a wallet or POS built on public libraries does: js-lnurl 0.6.0
// reads the tap (LUD-01 bech32 LNURL -> LUD-03 withdrawRequest), bolt11 1.4.1 signs the invoices the
// gateway is asked to pay, and every refusal is read as a LUD-03 client reads it (the JSON body's
// status and reason). Prints one JSON object; BoltGate.Interop.Tests asserts on it.
//
//   node withdraw.mjs <gateway base URL> <admin API key>
import crypto from 'node:crypto';
import { getParams } from 'js-lnurl';
import bolt11 from 'bolt11';

const [gateway, apiKey] = process.argv.slice(2);
if (!gateway || !apiKey) {
  console.error('usage: node withdraw.mjs <gateway URL> <admin API key>');
  process.exit(2);
}

const networks = {
  regtest: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  testnet: { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
};

async function admin(method, path, body) {
  const response = await fetch(gateway + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function newCard({ balanceSat, perTapLimitSat, pin, pinLimitSat }) {
  const uid = '04' + crypto.randomBytes(6).toString('hex');
  const card = await admin('POST', '/api/v1/cards', { name: 'interop', uid, perTapLimitSat });
  await admin('POST', `/api/v1/cards/${card.id}/credit`, { amountSat: balanceSat });
  if (pin) await admin('PUT', `/api/v1/cards/${card.id}/pin`, { pin, pinLimitSat });
  return card.id;
}

// The card's next tap as a bech32 LNURL (what a wallet scans), read with js-lnurl.
async function tap(cardId) {
  const made = await admin('POST', `/api/v1/dev/cards/${cardId}/tap`);
  return { lnurl: made.lnurl, params: await getParams(made.lnurl) };
}

// An invoice signed by the bolt11 library with a key of its own; the simulated node pays unknown payees.
function invoice(sat, { network = 'regtest', timestamp = Math.floor(Date.now() / 1000), expirySeconds = 600 } = {}) {
  const unsigned = bolt11.encode({
    network: networks[network],
    satoshis: sat,
    timestamp,
    tags: [
      { tagName: 'payment_hash', data: crypto.randomBytes(32).toString('hex') },
      { tagName: 'payment_secret', data: crypto.randomBytes(32).toString('hex') },
      { tagName: 'description', data: 'js interop' },
      { tagName: 'expire_time', data: expirySeconds },
    ],
  });
  const signed = bolt11.sign(unsigned, crypto.randomBytes(32).toString('hex'));
  return signed.paymentRequest;
}

// What a LUD-03 wallet does with the withdrawRequest: GET callback?k1=&pr= and read the body.
async function withdraw(params, pr, pin) {
  const url = new URL(params.callback);
  url.searchParams.set('k1', params.k1);
  url.searchParams.set('pr', pr);
  if (pin) url.searchParams.set('pin', pin);
  const response = await fetch(url);
  const body = await response.json();
  return { httpStatus: response.status, ...body };
}

const refusal = (answer, via) => ({
  via,
  httpStatus: answer.httpStatus ?? 200,
  status: answer.status,
  reason: answer.reason,
  code: answer.code,
});

const out = { refusals: {} };

// Happy path: the tap parsed by js-lnurl, an invoice from bolt11, paid.
const plain = await newCard({ balanceSat: 10_000 });
const first = await tap(plain);
out.lnurl = first.lnurl;
out.offer = first.params;
const pr = invoice(1_000);
out.invoice = { decoded: bolt11.decode(pr).satoshis, network: bolt11.decode(pr).network.bech32 };
out.paid = await withdraw(first.params, pr);
out.refusals.K1_USED = refusal(await withdraw(first.params, invoice(1_000)), 'callback');
// The same tap again: js-lnurl's getParams hands the ERROR back (it throws on a 4xx instead).
const replayed = await getParams(first.lnurl);
out.refusals.REPLAY = refusal(replayed, 'js-lnurl getParams');

const second = await tap(plain);
out.refusals.INVOICE_EXPIRED = refusal(
  await withdraw(second.params, invoice(1_000, { timestamp: Math.floor(Date.now() / 1000) - 7200, expirySeconds: 3600 })), 'callback');
out.refusals.INVOICE_WRONG_NETWORK = refusal(await withdraw(second.params, invoice(1_000, { network: 'testnet' })), 'callback');

const limited = await newCard({ balanceSat: 10_000, perTapLimitSat: 100 });
out.refusals.LIMIT_TX = refusal(await withdraw((await tap(limited)).params, invoice(500)), 'callback');

const pinned = await newCard({ balanceSat: 10_000, pin: '1234', pinLimitSat: 100 });
const pinTap = await tap(pinned);
out.pinOffer = pinTap.params;
out.refusals.PIN_REQUIRED = refusal(await withdraw(pinTap.params, invoice(500)), 'callback');
out.refusals.PIN_WRONG = refusal(await withdraw(pinTap.params, invoice(500), '0000'), 'callback');
out.pinPaid = await withdraw(pinTap.params, invoice(500), '1234');

console.log(JSON.stringify(out));
