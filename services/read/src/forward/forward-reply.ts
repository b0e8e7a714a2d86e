import { successEnvelope } from '@rock/contracts';

/** Content type of every JSON answer (Fastify's own default for serialised objects). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** `JSON.stringify(successEnvelope(x))` up to the result, and after it. */
const SUCCESS_HEAD = Buffer.from('{"status":"Success","message":null,"error":null,"result":');
const SUCCESS_TAIL = Buffer.from('}');

/** A compact JSON object as the rocklet writes it (`{…}` with no surrounding space). */
function looksLikeObject(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x7b && body[body.length - 1] === 0x7d;
}

/**
 * The Success envelope around a rocklet's answer, byte for byte what serialising
 * `successEnvelope(JSON.parse(body))` gives for the rocklet's compact JSON, without parsing it.
 * Anything else is parsed (a non-JSON answer throws, as before) and serialised.
 */
export function successEnvelopeBytes(body: Buffer): Buffer | string {
  if (looksLikeObject(body)) return Buffer.concat([SUCCESS_HEAD, body, SUCCESS_TAIL], SUCCESS_HEAD.length + body.length + 1);
  return JSON.stringify(successEnvelope(JSON.parse(body.toString()) as unknown));
}

/** A bare answer (GEM) passed on unchanged; a body that is not an object is re-serialised. */
export function bareBytes(body: Buffer): Buffer | string {
  return looksLikeObject(body) ? body : JSON.stringify(JSON.parse(body.toString()) as unknown);
}
