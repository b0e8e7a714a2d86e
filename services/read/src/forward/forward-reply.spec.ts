import { successEnvelope } from '@rock/contracts';
import { bareBytes, successEnvelopeBytes } from './forward-reply';

const asText = (bytes: Buffer | string): string => (typeof bytes === 'string' ? bytes : bytes.toString());

describe('forward replies', () => {
  it('splices a rocklet answer into exactly the bytes of the serialised Success envelope', () => {
    const result = { stdout: 'héllo "world"\n', stderr: '', exit_code: 0, nested: { a: [1, 2.5, null] } };
    const body = Buffer.from(JSON.stringify(result));
    expect(asText(successEnvelopeBytes(body))).toBe(JSON.stringify(successEnvelope(result)));
    expect(JSON.parse(asText(successEnvelopeBytes(body)))).toEqual({ status: 'Success', message: null, error: null, result });
  });

  it('re-serialises answers that are not a compact object, and refuses ones that are not JSON', () => {
    expect(asText(successEnvelopeBytes(Buffer.from(' {"a":1} ')))).toBe('{"status":"Success","message":null,"error":null,"result":{"a":1}}');
    expect(asText(successEnvelopeBytes(Buffer.from('[1]')))).toBe('{"status":"Success","message":null,"error":null,"result":[1]}');
    expect(() => successEnvelopeBytes(Buffer.from('<html>'))).toThrow(SyntaxError);
  });

  it('passes bare (GEM) answers on as the same bytes', () => {
    const body = Buffer.from('{"observation":"x","reward":1,"terminated":false,"truncated":false,"info":{}}');
    expect(bareBytes(body)).toBe(body);
    expect(bareBytes(Buffer.from('\n{"a":1}\n'))).toBe('{"a":1}');
    expect(() => bareBytes(Buffer.from(''))).toThrow(SyntaxError);
  });
});
