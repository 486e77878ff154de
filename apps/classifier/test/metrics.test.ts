import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, resolveConfig } from '../src/lib/config.js';
import { confusionMatrix, overfittingSignal, topConfusions } from '../src/lib/metrics.js';

const epoch = (trainLoss: number, valLoss: number, trainAcc = 0.9, valAcc = 0.9) => ({ trainLoss, valLoss, trainAcc, valAcc });

describe('overfittingSignal', () => {
  it('is quiet while both losses fall, and before three epochs', () => {
    expect(overfittingSignal([epoch(1, 1), epoch(0.5, 0.6)])).toBeNull();
    expect(overfittingSignal([epoch(1, 1), epoch(0.5, 0.6), epoch(0.3, 0.5)])).toBeNull();
  });

  it('fires when validation loss rises two epochs in a row while training loss falls', () => {
    const s = overfittingSignal([epoch(0.5, 0.30), epoch(0.4, 0.31), epoch(0.3, 0.35)]);
    expect(s).toBe('validation loss rising (0.3000 -> 0.3500) while training loss falls (0.5000 -> 0.3000)');
  });

  it('does not fire when both losses rise (that is a bad learning rate, not overfitting)', () => {
    expect(overfittingSignal([epoch(0.3, 0.30), epoch(0.4, 0.31), epoch(0.5, 0.35)])).toBeNull();
  });

  it('fires when the accuracy gap is above 2 points and widening', () => {
    const s = overfittingSignal([epoch(0.3, 0.3, 0.95, 0.94), epoch(0.2, 0.29, 0.97, 0.95), epoch(0.1, 0.28, 0.99, 0.955)]);
    expect(s).toBe('train/validation accuracy gap widening (1.0% -> 3.5%)');
  });

  it('does not call validation catching up with training a widening gap', () => {
    expect(overfittingSignal([epoch(0.5, 0.3, 0.85, 0.91), epoch(0.4, 0.29, 0.94, 0.942), epoch(0.3, 0.28, 0.96, 0.94)])).toBeNull();
  });
});

describe('confusionMatrix', () => {
  it('counts [true][predicted]', () => {
    const m = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 0], 3);
    expect(m).toEqual([[1, 1, 0], [0, 1, 0], [2, 0, 1]]);
    expect(topConfusions(m, ['a', 'b', 'c'])).toEqual(['c -> a (2x)', 'a -> b (1x)']);
  });
});

describe('resolveConfig', () => {
  it('fills in the defaults', () => {
    expect(resolveConfig({})).toEqual(DEFAULTS);
    expect(resolveConfig({ lr: 0.01 }).lr).toBe(0.01);
  });

  it.each([
    [{ dropout: 1 }, /dropout must be in \[0, 1\), got 1/],
    [{ hidden: 0 }, /hidden must be an integer in 1\.\.65536 \(a wider layer would not fit in memory\), got 0/],
    [{ hidden: 65_537 }, /hidden must be an integer in 1\.\.65536 .*, got 65537/],
    [{ epochs: 1.5 }, /epochs must be a positive integer, got 1.5/],
    [{ lr: -1 }, /lr must be a positive number, got -1/],
    [{ model: 'rnn' as 'mlp' }, /model must be mlp or cnn, got 'rnn'/],
    [{ split: [0.5, 0.3, 0.1] as const }, /split must be three positive fractions summing to 1/],
  ])('rejects %j', (partial, message) => {
    expect(() => resolveConfig(partial)).toThrow(ConfigError);
    expect(() => resolveConfig(partial)).toThrow(message);
  });
});
