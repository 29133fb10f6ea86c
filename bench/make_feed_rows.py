#!/usr/bin/env python3
"""Writes N valid rows of four feeds (docs/feeds.md) for the import benchmark: one child per
row index, seen by CBP (with an A-number), released by ORR, called once, heard once. Not the
population generator (`accompany synth`): no noise, no calibration, just valid rows fast."""
import sys, os

def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    given = ["MARIA JOSE", "KEVIN", "ANA", "JOSUE", "YESENIA", "BRAYAN", "DULCE MARIA", "ELMER"]
    surnames = ["GARCIA", "LOPEZ", "XOL", "CAAL", "PEREZ", "RAMIREZ", "TZUL", "DE LA CRUZ"]
    countries = [("GTM", "Guatemala"), ("HND", "Honduras"), ("SLV", "El Salvador"), ("MEX", "Mexico")]
    languages = ["Spanish", "K'iche'", "Mam", "Q'eqchi'"]
    courts = ["HOU", "SNA", "DAL", "LOS", "NYC", "MIA"]
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    with open(f"{out}/cbp_custody.csv", "w") as cbp, open(f"{out}/orr_release.csv", "w") as orr, \
         open(f"{out}/orr_followup.csv", "w") as fu, open(f"{out}/eoir_hearings.psv", "w") as eoir:
        cbp.write("EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION\n")
        orr.write("UAC_ID,A_NUMBER,FIRST_NAME,LAST_NAME_1,LAST_NAME_2,DOB,DOB_IS_ESTIMATED,GENDER,COUNTRY_OF_BIRTH,"
                  "PRIMARY_LANGUAGE,INTERPRETER_NEEDED,ADMITTED_DATE,RELEASE_DATE,PROGRAM,SPONSOR_ID,SPONSOR_FIRST_NAME,"
                  "SPONSOR_LAST_NAME_1,SPONSOR_LAST_NAME_2,SPONSOR_RELATIONSHIP,SPONSOR_CATEGORY,SPONSOR_PHONE,"
                  "ADDRESS_LINE,ADDRESS_UNIT,CITY,STATE,ZIP\n")
        fu.write("CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT\n")
        eoir.write("ANUMBER|LAST|FIRST|DOB|BASE_CITY|HEARING_DATE|HEARING_TIME|HEARING_TYPE|OUTCOME|ATTY_NAME\n")
        for i in range(n):
            a = 200000000 + i
            g = given[i % len(given)]
            p = surnames[i % len(surnames)]
            m = surnames[(i // 8) % len(surnames)]
            month, day, year = 1 + i % 12, 1 + i % 28, 2005 + i % 10
            a3, country = countries[i % len(countries)]
            sex = "MF"[i % 2]
            cbp.write(f"CBPE{i:010d},CBP{i:09d},{a},{p} {m},{g},{month:02d}/{day:02d}/{year},{sex},{a3},APP,"
                      f"03/01/2021 14:05,RGV Sector\n")
            orr.write(f"UAC{i:08d},A{str(a)[0:3]}-{str(a)[3:6]}-{str(a)[6:9]},{g.title()},{p.title()},{m.title()},"
                      f"{year}-{month:02d}-{day:02d},N,{'Male' if sex == 'M' else 'Female'},{country},"
                      f"{languages[i % len(languages)]},{'Y' if i % 4 else 'N'},2021-03-03,2021-04-10,"
                      f"Southwest Key Casa Padre,SP{i:08d},Rosa,{p.title()},,Aunt,2A,(713) 555-0142,"
                      f"{100 + i % 9000} W Main St,Apt {1 + i % 20},Houston,TX,77002\n")
            fu.write(f"FU{i:09d},UAC{i:08d},5/10/2021,5/12/2021,PHONE,SAFE\n")
            eoir.write(f"{a}|{p} {m}|{g}|{day:02d}-{months[month - 1]}-{year}|{courts[i % len(courts)]}|"
                       f"{1 + i % 28:02d}-MAR-2023|0900|MAS|FTA|\n")

main()
