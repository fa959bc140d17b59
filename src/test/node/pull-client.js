// STREAM clients that redeem payment pointers which pay out (ilp-protocol-stream 2.7.1), for Inlet's tests without a
// connector: Inlet's uplink (INLET_UPLINK_URL) is this process's ILP-over-HTTP endpoint, which hands each Prepare to
// the client whose address (test.pull.<n>) starts its destination; each client sends its own packets straight to
// Inlet's /ilp. Prints {"port"} first, then answers one JSON line per request line:
//   {"op":"redeem", "targets": [{"spsp_url", "ilp_url"}, …], "ilp_token", "receive_max", "clients", "wait_ms",
//    "asset_code", "asset_scale"} -> {"results": [{"received", "ended_by", "error"}, …]}, one per client, all run
//    at once, client i on target i modulo their number (e.g. two replicas of Inlet)
//   {"op":"path", "max_packet_amount", "delay_ms"} -> {"ok": true}: from now on the uplink answers F08 Amount Too
//    Large to a Prepare above max_packet_amount ("0": no limit), and holds each Prepare delay_ms first: a slow path
// Usage: node pull-client.js. Exits when stdin closes.
'use strict'
const http = require('http')
const readline = require('readline')
const IlpPacket = require('ilp-packet')
const ILDCP = require('ilp-protocol-ildcp')
const { DataAndMoneyStream } = require('ilp-protocol-stream/dist/src/stream')
const { redeem } = require('./redeem')

// ilp-protocol-stream 2.7.1 keeps its own `closed` flag on its streams, a getter-only property of Duplex since Node 18.
Object.defineProperty(DataAndMoneyStream.prototype, 'closed', {
  configurable: true,
  get () { return this._ilpStreamClosed === true },
  set (value) { this._ilpStreamClosed = value }
})

const handlers = new Map() // address -> data handler of that client's plugin
const path = { maxPacketAmount: 0n, delayMs: 0 }
let clients = 0

function plugin (request, target) {
  const address = 'test.pull.c' + (++clients)
  return {
    address,
    connect: async () => {},
    disconnect: async () => { handlers.delete(address) },
    isConnected: () => true,
    registerDataHandler: (h) => { handlers.set(address, h) },
    deregisterDataHandler: () => { handlers.delete(address) },
    registerMoneyHandler: () => {},
    deregisterMoneyHandler: () => {},
    sendMoney: async () => {},
    sendData: async (data) => {
      if (data[0] === IlpPacket.Type.TYPE_ILP_PREPARE &&
          IlpPacket.deserializeIlpPrepare(data).destination === 'peer.config') {
        return ILDCP.serializeIldcpResponse({
          clientAddress: address, assetCode: request.asset_code, assetScale: request.asset_scale
        })
      }
      const answer = await fetch(target.ilp_url, {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + request.ilp_token, 'Content-Type': 'application/octet-stream' },
        body: data
      })
      return Buffer.from(await answer.arrayBuffer())
    }
  }
}

const uplink = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', async () => {
    const body = Buffer.concat(chunks)
    let answer
    try {
      const prepare = IlpPacket.deserializeIlpPrepare(body)
      const destination = prepare.destination
      if (path.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, path.delayMs))
      if (path.maxPacketAmount > 0n && BigInt(prepare.amount) > path.maxPacketAmount) {
        // RFC 0027 F08: the amount that arrived and the most the path takes, UInt64 each.
        const data = Buffer.alloc(16)
        data.writeBigUInt64BE(BigInt(prepare.amount), 0)
        data.writeBigUInt64BE(path.maxPacketAmount, 8)
        res.setHeader('Content-Type', 'application/octet-stream')
        res.end(IlpPacket.serializeIlpReject({ code: 'F08', message: 'too large', triggeredBy: 'test.pull', data }))
        return
      }
      const handler = [...handlers.entries()].find(([a]) => destination === a || destination.startsWith(a + '.'))
      answer = handler
        ? await handler[1](body)
        : IlpPacket.serializeIlpReject({ code: 'F02', message: 'no such client', triggeredBy: 'test.pull', data: Buffer.alloc(0) })
    } catch (err) {
      answer = IlpPacket.serializeIlpReject({ code: 'T00', message: String(err), triggeredBy: 'test.pull', data: Buffer.alloc(0) })
    }
    res.setHeader('Content-Type', 'application/octet-stream')
    res.end(answer)
  })
})

async function handle (line) {
  const request = JSON.parse(line)
  if (request.op === 'path') {
    path.maxPacketAmount = BigInt(request.max_packet_amount)
    path.delayMs = request.delay_ms
    return { ok: true }
  }
  if (request.op !== 'redeem') throw new Error('unknown op ' + request.op)
  const runs = []
  for (let i = 0; i < (request.clients || 1); i++) {
    const target = request.targets[i % request.targets.length]
    const p = plugin(request, target)
    runs.push(redeem({ plugin: p, spspUrl: target.spsp_url, receiveMax: request.receive_max, waitMs: request.wait_ms })
      .catch((err) => ({ received: '0', ended_by: 'error', error: String(err && err.stack) })))
  }
  return { results: await Promise.all(runs) }
}

uplink.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: uplink.address().port }))
  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    handle(line).then(
      (answer) => console.log(JSON.stringify(answer)),
      (err) => console.log(JSON.stringify({ error: String(err && err.stack) })))
  })
  lines.on('close', () => process.exit(0))
})
