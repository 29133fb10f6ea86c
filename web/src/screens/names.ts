// Names as Hispanic custom writes them: given names, then paternal and maternal surnames.
import { PersonName } from "../api";

export function fullName(name: PersonName): string {
  return [name.given_names, name.paternal_surname, name.maternal_surname].filter(Boolean).join(" ");
}
