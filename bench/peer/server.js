// The bench's peer: the npm lnurl server as its README sets it up for production-like use — a knex store
// on SQLite (a file, in WAL mode like BoltGate's) and the dummy Lightning backend — with one API key, so the loader can make signed
// withdraw URLs (each one becomes a one-time k1 on its first GET, like a Boltcard tap).
//   node server.js <port> <sqlite file> <api key id> <api key hex>
const lnurl = require('lnurl');

const [port, file, id, key] = process.argv.slice(2);
const server = lnurl.createServer({
	host: '127.0.0.1',
	port: Number(port),
	url: `http://127.0.0.1:${port}`,
	endpoint: '/lnurl',
	auth: { apiKeys: [{ id, key, encoding: 'hex' }] },
	lightning: { backend: 'dummy', config: {} },
	store: {
		backend: 'knex',
		config: {
			client: 'sqlite3',
			connection: { filename: file },
			useNullAsDefault: true,
			// The same journal and durability as BoltGate's SQLite (WAL, synchronous=NORMAL), so the comparison
			// is of the two servers and not of SQLite's default rollback journal, which syncs every commit.
			pool: {
				afterCreate: (conn, done) => conn.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;', done),
			},
		},
	},
});
server.once('listening', () => console.log(`peer listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
