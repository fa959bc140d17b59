// A JS reference STREAM server (ilp-protocol-stream 2.7.1) behind a tiny HTTP "plugin":
// POST / with an ILP Prepare → the server's answer; GET / → the total received. Prints the port,
// destination and shared secret as one JSON line. Argument: each stream's receive max.
//
// ilp-protocol-stream 2.7.1 assigns its own `closed` flag on its streams, which Node 18+ made a
// getter of Duplex: give the flag a place on the library's own class again.
const { DataAndMoneyStream } = require('ilp-protocol-stream/dist/src/stream')
Object.defineProperty(DataAndMoneyStream.prototype, 'closed', {
  configurable: true,
  get () { return this._streamClosed === true },
  set (value) { this._streamClosed = value }
})
const http = require('http')
const { createServer } = require('ilp-protocol-stream')
const ILDCP = require('ilp-protocol-ildcp')
const receiveMax = process.argv[2] || '1000000000000'
let handler = null
const plugin = {
  connect: async () => {}, disconnect: async () => {}, isConnected: () => true,
  registerDataHandler: h => { handler = h }, deregisterDataHandler: () => { handler = null },
  registerMoneyHandler: () => {}, deregisterMoneyHandler: () => {},
  sendMoney: async () => {},
  sendData: async data => ILDCP.serializeIldcpResponse({ clientAddress: 'test.js.receiver', assetScale: 6, assetCode: 'XRP' })
}
let received = 0n
;(async () => {
  const server = await createServer({ plugin, serverSecret: Buffer.alloc(32, 7) })
  server.on('connection', conn => {
    // A sender closing with an error code makes the connection emit 'error': not a crash here.
    conn.on('error', () => {})
    conn.on('stream', stream => {
      stream.on('error', () => {})
      stream.setReceiveMax(receiveMax)
      stream.on('money', amount => { received += BigInt(amount) })
    })
  })
  const { destinationAccount, sharedSecret } = server.generateAddressAndSecret()
  const web = http.createServer((req, res) => {
    if (req.method === 'GET') { res.end(String(received)); return }
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', async () => {
      const answer = await handler(Buffer.concat(chunks))
      res.setHeader('Content-Type', 'application/octet-stream')
      res.end(answer)
    })
  })
  web.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ port: web.address().port, destination: destinationAccount, secret: sharedSecret.toString('base64') }))
  })
})()
