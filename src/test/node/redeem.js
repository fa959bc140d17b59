// Redeems a payment pointer that pays out (an Inlet voucher or pull-payment mandate, RFC 0036) as a plain
// ilp-protocol-stream client: queries SPSP, connects (telling its address), opens a stream with a receive limit
// and takes what the server pushes, until the server ends the stream or the connection, or waitMs pass.
// Resolves {received, ended_by, error}: `received` a decimal string in the client's units.
'use strict'
const { createConnection } = require('ilp-protocol-stream')

async function redeem ({ plugin, spspUrl, receiveMax, waitMs }) {
  const answer = await fetch(spspUrl, { headers: { Accept: 'application/spsp4+json' } })
  if (answer.status !== 200) {
    return { received: '0', ended_by: 'spsp', error: `SPSP ${answer.status}: ${await answer.text()}` }
  }
  const spsp = await answer.json()
  let received = 0n
  let connection
  try {
    connection = await createConnection({
      plugin,
      destinationAccount: spsp.destination_account,
      sharedSecret: Buffer.from(spsp.shared_secret, 'base64'),
      idleTimeout: waitMs + 5000
    })
  } catch (err) {
    return { received: '0', ended_by: 'connect', error: String(err && err.message) }
  }
  const endedBy = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), waitMs)
    const done = (why) => () => { clearTimeout(timer); resolve(why) }
    connection.on('error', (err) => { clearTimeout(timer); resolve('error: ' + (err && err.message)) })
    connection.on('close', done('connection'))
    connection.on('end', done('connection'))
    const stream = connection.createStream()
    stream.on('error', () => {})
    stream.on('money', (amount) => { received += BigInt(amount) })
    stream.on('end', done('stream'))
    stream.on('close', done('stream'))
    stream.setReceiveMax(String(receiveMax))
  })
  await connection.destroy().catch(() => {})
  return { received: received.toString(), ended_by: endedBy, error: null }
}

module.exports = { redeem }
