/** Every row that leaves the terminal has a UUIDv7 id made here (time-ordered, unique). */
import { v7 } from 'uuid';

export function newId(): string {
  return v7();
}
