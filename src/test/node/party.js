// A STREAM party for Inlet's integration tests (dev.inlet.it.JsConnector): a child of the connector's mini-accounts
// plugin (ilp-plugin-btp clients), driven by JSON lines on stdin, answering one JSON line each on stdout:
//   {"op":"receive"}  -> {"destination_account", "shared_secret" (base64)} of a new STREAM server connection
//   {"op":"total"}    -> {"total"}: what the receiver got so far, in its units
//   {"op":"pay", "destination_account", "shared_secret" (base64), "amount"}
//                     -> {"sent", "delivered"} once the STREAM sender sent the amount (or {"error"})
// Usage: node party.js <miniAccountsPort>. Exits when stdin closes.
'use strict'
const crypto = require('crypto')
const readline = require('readline')
const BtpPlugin = require('ilp-plugin-btp')
const { createServer, createConnection } = require('ilp-protocol-stream')
const { DataAndMoneyStream } = require('ilp-protocol-stream/dist/src/stream')

// ilp-protocol-stream 2.7.1 (the latest release) keeps its own `closed` flag on its streams, which Node 18 and later
// made a getter-only property of Duplex ("Cannot set property closed"): give its streams a property of their own.
Object.defineProperty(DataAndMoneyStream.prototype, 'closed', {
  configurable: true,
  get () { return this._ilpStreamClosed === true },
  set (value) { this._ilpStreamClosed = value }
})

const port = Number(process.argv[2])
let total = 0n
let server

function plugin () {
  const name = 'party' + crypto.randomBytes(4).toString('hex')
  return new BtpPlugin({ server: `btp+ws://${name}:secret@127.0.0.1:${port}` })
}

async function receive () {
  if (!server) {
    const p = plugin()
    await p.connect()
    server = await createServer({ plugin: p })
    server.on('connection', (connection) => {
      connection.on('stream', (stream) => {
        stream.setReceiveMax('18446744073709551615')
        stream.on('money', (amount) => { total += BigInt(amount) })
      })
    })
  }
  const { destinationAccount, sharedSecret } = server.generateAddressAndSecret()
  return { destination_account: destinationAccount, shared_secret: sharedSecret.toString('base64') }
}

async function pay (request) {
  const p = plugin()
  await p.connect()
  const connection = await createConnection({
    plugin: p,
    destinationAccount: request.destination_account,
    sharedSecret: Buffer.from(request.shared_secret, 'base64'),
    slippage: 0.01
  })
  try {
    const stream = connection.createStream()
    await stream.sendTotal(String(request.amount), { timeout: 30000 })
    return { sent: String(connection.totalSent), delivered: String(connection.totalDelivered) }
  } finally {
    await connection.end().catch(() => {})
    await p.disconnect().catch(() => {})
  }
}

async function handle (line) {
  const request = JSON.parse(line)
  switch (request.op) {
    case 'receive': return receive()
    case 'total': return { total: total.toString() }
    case 'pay': return pay(request)
    default: throw new Error('unknown op ' + request.op)
  }
}

const lines = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
lines.on('line', (line) => {
  queue = queue.then(() => handle(line))
    .then((answer) => answer, (err) => ({ error: String(err && err.message ? err.message : err) }))
    .then((answer) => process.stdout.write(JSON.stringify(answer) + '\n'))
})
lines.on('close', () => queue.then(() => process.exit(0)))
