// node btp-vectors.js > ../resources/vectors/btp-packets.json (btp-packet as in package-lock.json; made with 2.2.1)
// Produces btp-packets.json with the JS reference btp-packet: each packet's fields and the bytes serialize() gives,
// checked to deserialize back to the same fields.
const btp = require('btp-packet')
const assert = require('assert')
const hex = (b) => Buffer.from(b).toString('hex')
const entry = (protocolName, contentType, data) => ({ protocolName, contentType, data: Buffer.from(data) })
const ilpFulfill = Buffer.from('0d21' + 'ab'.repeat(32) + '00', 'hex')
const cases = [
  { name: 'message-auth', packet: { type: btp.TYPE_MESSAGE, requestId: 1, data: { protocolData: [
    entry('auth', 0, ''), entry('auth_username', 1, 'inlet'), entry('auth_token', 1, 's3cr3t') ] } } },
  { name: 'message-ilp', packet: { type: btp.TYPE_MESSAGE, requestId: 4294967295, data: { protocolData: [
    entry('ilp', 0, Buffer.from('0c0b', 'hex')) ] } } },
  { name: 'response-empty', packet: { type: btp.TYPE_RESPONSE, requestId: 2, data: { protocolData: [] } } },
  { name: 'response-ilp', packet: { type: btp.TYPE_RESPONSE, requestId: 123456789, data: { protocolData: [
    entry('ilp', 0, ilpFulfill) ] } } },
  { name: 'response-json-long-data', packet: { type: btp.TYPE_RESPONSE, requestId: 7, data: { protocolData: [
    entry('info', 2, JSON.stringify({ note: 'x'.repeat(300) })) ] } } },
  { name: 'message-300-entries', packet: { type: btp.TYPE_MESSAGE, requestId: 8, data: { protocolData:
    Array.from({ length: 300 }, (_, i) => entry('p' + i, i % 3, i % 2 ? 'v' : '')) } } },
  { name: 'error', packet: { type: btp.TYPE_ERROR, requestId: 3, data: { code: 'F00', name: 'NotAcceptedError',
    triggeredAt: '2026-01-02T03:04:05.678Z', data: 'bad auth: é', protocolData: [] } } },
  { name: 'error-with-entries', packet: { type: btp.TYPE_ERROR, requestId: 9, data: { code: 'T00', name: 'UnreachableError',
    triggeredAt: '2026-12-31T23:59:59.999Z', data: '', protocolData: [ entry('ilp', 0, Buffer.from('0e00', 'hex')) ] } } },
  { name: 'transfer', packet: { type: btp.TYPE_TRANSFER, requestId: 4, data: { amount: '1000', protocolData: [] } } },
  { name: 'transfer-max-amount', packet: { type: btp.TYPE_TRANSFER, requestId: 5, data: { amount: '18446744073709551615',
    protocolData: [ entry('claim', 2, '{}') ] } } },
]
const out = cases.map(({ name, packet }) => {
  const bytes = btp.serialize(packet)
  const back = btp.deserialize(bytes)
  assert.strictEqual(back.requestId, packet.requestId)
  const d = packet.data
  const fields = { requestId: packet.requestId }
  if (packet.type === btp.TYPE_TRANSFER) fields.amount = d.amount
  if (packet.type === btp.TYPE_ERROR) {
    Object.assign(fields, { code: d.code, name: d.name, triggeredAt: d.triggeredAt, data: hex(Buffer.from(d.data, 'utf8')) })
    assert.strictEqual(back.data.triggeredAt.toISOString(), d.triggeredAt)
  }
  fields.protocolData = d.protocolData.map(p => ({ protocolName: p.protocolName, contentType: p.contentType, data: hex(p.data) }))
  assert.deepStrictEqual(back.data.protocolData.map(p => ({ protocolName: p.protocolName, contentType: p.contentType, data: hex(p.data) })), fields.protocolData)
  return { name, type: packet.type, fields, hex: hex(bytes) }
})
process.stdout.write(JSON.stringify(out, null, 2) + '\n')
