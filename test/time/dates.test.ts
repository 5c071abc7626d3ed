import { describe, expect, it } from 'vitest';
import { addMonths, ageOn, birthdayOfAge, datePart, daysBetween, isIsoDate, monthBounds } from '../../src/time/dates.js';

describe('calendar dates', () => {
  it('adds calendar months, keeping the day or falling back to the month end', () => {
    expect(addMonths('2025-03-15', 12)).toBe('2026-03-15');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('counts days across a daylight-saving change and a leap day', () => {
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-06-10', '2025-06-01')).toBe(-9);
  });

  it('gives age in whole years, changing on the birthday itself', () => {
    expect(ageOn('2008-05-10', '2026-05-09')).toBe(17);
    expect(ageOn('2008-05-10', '2026-05-10')).toBe(18);
    expect(ageOn('2030-01-01', '2026-05-10')).toBe(0);
  });

  it('puts the birthday of someone born on 29 February on 1 March in a common year', () => {
    expect(birthdayOfAge('2008-02-29', 18)).toBe('2026-03-01');
    expect(birthdayOfAge('2008-02-29', 16)).toBe('2024-02-29');
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('recognises real dates only', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(datePart('2025-03-01T09:30:00Z')).toBe('2025-03-01');
    expect(datePart('2025-03')).toBeUndefined();
  });

  it('gives the bounds of a month', () => {
    expect(monthBounds('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(() => monthBounds('2024-13')).toThrow(/YYYY-MM/);
  });
});
