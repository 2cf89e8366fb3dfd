import { OutputValidator } from '../../src/bridge/validate';

const schema = {
  type: 'object',
  required: ['When', 'Id', 'State'],
  properties: {
    When: { type: 'string', format: 'date-time' },
    Id: { type: 'string', format: 'uuid' },
    State: { enum: ['Good', 'Stale'] },
  },
  additionalProperties: false,
};
const good = { When: '2026-12-06T04:00:00.0000000Z', Id: '0f8fad5b-d9cb-469f-a165-70867728950e', State: 'Good' };

describe('OutputValidator', () => {
  const validator = new OutputValidator();

  test('accepts output that matches the item schema', () => {
    expect(validator.check([good, { ...good, State: 'Stale' }], schema)).toBeUndefined();
  });

  test('checks string formats: a time that is not a date-time, an id that is not a uuid', () => {
    expect(validator.check([good, { ...good, When: 'yesterday' }], schema)).toEqual({ field: 'output[1].When', problem: 'must match format "date-time"' });
    expect(validator.check([{ ...good, Id: 'not-a-uuid' }], schema)).toEqual({ field: 'output[0].Id', problem: 'must match format "uuid"' });
  });

  test('names the missing, the unknown and the out-of-set field', () => {
    const { State: _state, ...noState } = good;
    void _state;
    expect(validator.check([noState], schema)).toEqual({ field: 'output[0].State', problem: 'is missing' });
    expect(validator.check([{ ...good, Extra: 1 }], schema)).toEqual({ field: 'output[0].Extra', problem: 'is not in the schema' });
    expect(validator.check([{ ...good, State: 'Fine' }], schema)).toEqual({ field: 'output[0].State', problem: 'must be one of ["Good","Stale"]' });
  });
});
