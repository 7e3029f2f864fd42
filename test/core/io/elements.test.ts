import { describe, expect, it } from 'vitest';
import { elementFromMass, elementFromName, elementFromNumber, canonicalElement } from '../../../src/core/io/elements.ts';
import { openTrajectory } from '../../../src/core/io/index.ts';
import { textSource } from './io-helpers.ts';

describe('species from names (formats.md §0.3)', () => {
  it('water models and virtual sites', () => {
    expect(['OW', 'HW1', 'HW2', 'HW', 'MW', 'MW1', 'LP'].map((n) => elementFromName(n))).toEqual(['O', 'H', 'H', 'H', 'virtual', 'virtual', 'virtual']);
  });

  it('longest element prefix, two letters only when unambiguous', () => {
    expect(elementFromName('CA', 'ALA')).toBe('C');     // alpha carbon, not calcium
    expect(elementFromName('CL', 'CL')).toBe('Cl');     // ion residue
    expect(elementFromName('Cu')).toBe('Cu');           // element case
    expect(elementFromName('ZN1')).toBe('Zn');          // Z alone is no element
    expect(elementFromName('1HB')).toBe('H');           // leading digits stripped
    expect(elementFromName('NA', 'SOL')).toBe('N');
    expect(elementFromName('29')).toBe('Cu');           // atomic number
    expect(elementFromName('Qq')).toBe('X');
  });

  it('LAMMPS masses -> nearest standard weight within 0.1 u', () => {
    expect(elementFromMass(63.546)).toBe('Cu');
    expect(elementFromMass(196.97)).toBe('Au');
    expect(elementFromMass(196.966569)).toBe('Au');
    expect(elementFromMass(15.9994)).toBe('O');
    expect(elementFromMass(1.00794)).toBe('H');
    expect(elementFromMass(12.0)).toBe('C');
    expect(elementFromMass(50)).toBeNull();
    expect(elementFromMass(0)).toBeNull();
  });

  it('symbols and atomic numbers', () => {
    expect(canonicalElement('AG')).toBe('Ag');
    expect(canonicalElement('xx')).toBeNull();
    expect(elementFromNumber(79)).toBe('Au');
    expect(elementFromNumber(0)).toBeNull();
  });

  it('LAMMPS dumps with type labels take the element from the label', async () => {
    const text = 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n1 Cu 0 0 0\n2 OW 0 0 0\n';
    const t = await openTrajectory([textSource('l.lammpstrj', text)]);
    expect(t.species).toEqual(['Cu', 'O']);
  });
});
