// An ilp-connector for Inlet's integration tests (dev.inlet.it.JsConnector), on 127.0.0.1 only:
//   account "inlet": a child over BTP; the connector is the BTP server (ilp-plugin-btp listener), Inlet the client
//                    (btp+ws://inlet:<secret>@127.0.0.1:<btpPort>)
//   account "peer":  a child running ilp-plugin-mini-accounts (<miniAccountsPort>), where party.js connects
// Prints one JSON line when ready: {"address", "btpPort", "secret", "miniAccountsPort"}. Exits when stdin closes.
// Usage: node connector.js [btpPort secret] — given, the BTP server takes that port and secret (a restarted parent).
'use strict'
const net = require('net')
const crypto = require('crypto')
const { createApp } = require('ilp-connector')
// The connector logs to stdout: move that to stderr, so stdout carries the ready line only.
require('ilp-connector/dist/common/log').setOutputStream(process.stderr)

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function main () {
  const btpPort = process.argv[2] ? Number(process.argv[2]) : await freePort()
  const secret = process.argv[3] || crypto.randomBytes(16).toString('hex')
  const miniAccountsPort = await freePort()
  const address = 'test.connector'
  const asset = { assetCode: 'USD', assetScale: 9 }
  const app = createApp({
    env: 'test',
    ilpAddress: address,
    backend: 'one-to-one',
    spread: 0,
    store: 'memory',
    adminApi: false,
    collectDefaultMetrics: false,
    // The BTP server's plugin waits for Inlet to connect: the connector is ready without waiting for it.
    initialConnectTimeout: 500,
    accounts: {
      inlet: {
        relation: 'child',
        ...asset,
        plugin: 'ilp-plugin-btp',
        options: { listener: { port: btpPort, secret, wsOpts: { host: '127.0.0.1', port: btpPort } } }
      },
      peer: {
        relation: 'child',
        ...asset,
        plugin: 'ilp-plugin-mini-accounts',
        options: { wsOpts: { host: '127.0.0.1', port: miniAccountsPort } }
      }
    }
  })
  await app.listen()
  process.stdout.write(JSON.stringify({ address, btpPort, secret, miniAccountsPort }) + '\n')
  const stop = async () => {
    try { await app.shutdown() } finally { process.exit(0) }
  }
  process.stdin.on('end', stop)
  process.stdin.on('close', stop)
  process.stdin.resume()
  process.on('SIGTERM', stop)
}

main().catch((err) => {
  process.stderr.write('connector failed: ' + (err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
