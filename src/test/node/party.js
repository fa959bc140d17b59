// A STREAM party for Inlet's integration tests (dev.inlet.it.JsConnector): a child of the connector's mini-accounts
// plugin (ilp-plugin-btp clients), driven by JSON lines on stdin, answering one JSON line each on stdout:
//   {"op":"receive"}  -> {"destination_account", "shared_secret" (base64)} of a new STREAM server connection
//   {"op":"total"}    -> {"total"}: what the receiver got so far, in its units
//   {"op":"pay", "destination_account", "shared_secret" (base64), "amount"}
//                     -> {"sent", "delivered"} once the STREAM sender sent the amount (or {"error"})
//   {"op":"spsp"}     -> {"url"}: an SPSP endpoint (http://127.0.0.1:<port>/) whose every GET is a new STREAM server
//                        connection of this party's receiver (application/spsp4+json), for "total"
//   {"op":"pay_open", "destination_account", "shared_secret", "amount"}
//                     -> {"id", "sent", "delivered", "source_account"}: pays as "pay" on a connection that told the
//                        receiver its address and stays open, taking money on the streams the receiver opens
//   {"op":"refunds", "id"} -> {"received"}: what arrived on the streams the receiver opened on that connection
//   {"op":"close", "id"}   -> {"closed": true}: ends that connection
//   {"op":"redeem", "spsp_url", "receive_max", "wait_ms"}
//                     -> {"received", "ended_by", "error"}: takes what a pointer that pays out pushes (redeem.js)
// Usage: node party.js <miniAccountsPort>. Exits when stdin closes.
'use strict'
const crypto = require('crypto')
const http = require('http')
const readline = require('readline')
const BtpPlugin = require('ilp-plugin-btp')
const { createServer, createConnection } = require('ilp-protocol-stream')
const { redeem } = require('./redeem')
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

let spspServer
async function spsp () {
  if (!spspServer) {
    spspServer = http.createServer((req, res) => {
      receive().then((answer) => {
        res.setHeader('Content-Type', 'application/spsp4+json')
        res.end(JSON.stringify(answer))
      }, (err) => { res.statusCode = 500; res.end(String(err)) })
    })
    await new Promise((resolve) => spspServer.listen(0, '127.0.0.1', resolve))
  }
  return { url: `http://127.0.0.1:${spspServer.address().port}/` }
}

// Connections kept open by pay_open, by id: {connection, plugin, received}
const open = new Map()
let opened = 0

async function payOpen (request) {
  const p = plugin()
  await p.connect()
  const connection = await createConnection({
    plugin: p,
    destinationAccount: request.destination_account,
    sharedSecret: Buffer.from(request.shared_secret, 'base64'),
    slippage: 0.01,
    idleTimeout: 600000
  })
  const entry = { connection, plugin: p, received: 0n }
  connection.on('stream', (stream) => {
    stream.setReceiveMax('18446744073709551615')
    stream.on('money', (amount) => { entry.received += BigInt(amount) })
  })
  connection.on('error', () => {})
  const id = String(++opened)
  open.set(id, entry)
  const stream = connection.createStream()
  await stream.sendTotal(String(request.amount), { timeout: 30000 })
  return {
    id,
    sent: String(connection.totalSent),
    delivered: String(connection.totalDelivered),
    source_account: connection.sourceAccount
  }
}

function entryOf (request) {
  const entry = open.get(String(request.id))
  if (!entry) throw new Error('no open connection ' + request.id)
  return entry
}

async function close (request) {
  const entry = entryOf(request)
  open.delete(String(request.id))
  await entry.connection.end().catch(() => {})
  await entry.plugin.disconnect().catch(() => {})
  return { closed: true }
}

// Redeems a voucher or mandate pointer as a STREAM client on the connector: {received, ended_by, error}.
async function redeemOnce (request) {
  const p = plugin()
  await p.connect()
  try {
    return await redeem({ plugin: p, spspUrl: request.spsp_url, receiveMax: request.receive_max, waitMs: request.wait_ms })
  } finally {
    await p.disconnect().catch(() => {})
  }
}

async function handle (line) {
  const request = JSON.parse(line)
  switch (request.op) {
    case 'receive': return receive()
    case 'total': return { total: total.toString() }
    case 'pay': return pay(request)
    case 'spsp': return spsp()
    case 'pay_open': return payOpen(request)
    case 'refunds': return { received: entryOf(request).received.toString() }
    case 'close': return close(request)
    case 'redeem': return redeemOnce(request)
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
