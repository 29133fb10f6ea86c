// Names as Hispanic custom writes them: given names, then paternal and maternal surnames.
export function fullName(person: { given_names: string; paternal_surname: string; maternal_surname: string }): string {
  return [person.given_names, person.paternal_surname, person.maternal_surname].filter(Boolean).join(" ");
}
