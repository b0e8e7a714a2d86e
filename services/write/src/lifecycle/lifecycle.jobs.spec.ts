import { createJobId, destroyJobId, handlerTable, LIFECYCLE_JOB_NAMES } from './lifecycle.jobs';
import { numericPortMapping } from './port-mapping';

describe('lifecycle jobs', () => {
  it('builds deterministic ids BullMQ accepts (exactly two colons) and distinct per incarnation', () => {
    expect(createJobId('abc', 1700000000000)).toBe('create:abc:1700000000000');
    expect(destroyJobId('abc', 1700000000000)).toBe('destroy:abc:1700000000000');
    expect(createJobId('abc', 1)).not.toBe(createJobId('abc', 2));
    expect(createJobId('a-b', 5).split(':')).toHaveLength(3);
  });

  it('accepts a table with one handler per job name', () => {
    const table = handlerTable(LIFECYCLE_JOB_NAMES.map((name) => [name, name.length] as [typeof name, number]));
    expect([...table.keys()]).toEqual(['create', 'destroy', 'reap', 'reconcile']);
  });

  it('fails when a job name has no handler or two', () => {
    expect(() => handlerTable([['create', 1], ['destroy', 2]])).toThrow('lifecycle jobs without a handler: reap, reconcile');
    expect(() => handlerTable([['create', 1], ['create', 2]])).toThrow('lifecycle job "create" has two handlers');
  });
});

describe('numericPortMapping', () => {
  it('turns the driver string ports into the record numbers and drops garbage', () => {
    expect(numericPortMapping({ '22555': '32768', '8080': 'x' })).toEqual({ '22555': 32768 });
  });
});
