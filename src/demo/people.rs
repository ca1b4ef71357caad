//! People: names (unique where the ledger needs it), mobile numbers,
//! valid ID numbers and unified social credit codes.

use chrono::{Datelike, NaiveDate};

use super::Gen;
use super::words::{ID_REGIONS, MOBILE_PREFIXES, SURNAMES};
use crate::domain::ids::{credit_check_char, id_check_char};

impl Gen {
    pub(super) fn person_name(&mut self, female: bool) -> String {
        let chars = if female {
            &self.female_chars
        } else {
            &self.male_chars
        };
        let mut s = String::with_capacity(9);
        s.push_str(self.rng.word(SURNAMES));
        let a = chars[self.rng.below(chars.len())];
        s.push(a);
        if !self.rng.chance(150) {
            let mut b = chars[self.rng.below(chars.len())];
            if b == a && !self.rng.chance(300) {
                b = chars[self.rng.below(chars.len())];
            }
            s.push(b);
        }
        s
    }

    /// A person name, female with probability `permille`/1000.
    pub(super) fn person_name_p(&mut self, permille: usize) -> String {
        let female = self.rng.chance(permille);
        self.person_name(female)
    }

    /// A person name not used by any other member or instructor.
    pub(super) fn unique_person(&mut self, female: bool) -> String {
        for _ in 0..200 {
            let n = self.person_name(female);
            if self.person_names.insert(n.clone()) {
                return n;
            }
        }
        // Practically unreachable: a three-character given name.
        loop {
            let mut n = self.person_name(female);
            let chars = if female {
                &self.female_chars
            } else {
                &self.male_chars
            };
            n.push(chars[self.rng.below(chars.len())]);
            if self.person_names.insert(n.clone()) {
                return n;
            }
        }
    }

    pub(super) fn mobile(&mut self) -> String {
        let mut s = String::with_capacity(11);
        s.push_str(self.rng.word(MOBILE_PREFIXES));
        for _ in 0..8 {
            s.push(char::from(b'0' + self.rng.below(10) as u8));
        }
        s
    }

    /// A valid, unique 18-digit ID number for the birth date and gender.
    pub(super) fn id_number(&mut self, birth: NaiveDate, female: bool) -> String {
        for _ in 0..50 {
            let region = *self.rng.pick(ID_REGIONS);
            let seq = self.rng.below(100);
            let sex = self.rng.below(5) * 2 + usize::from(!female);
            let first17 = format!(
                "{region}{:04}{:02}{:02}{seq:02}{sex}",
                birth.year(),
                birth.month(),
                birth.day()
            );
            if let Some(c) = id_check_char(&first17) {
                let id = format!("{first17}{c}");
                if self.id_numbers.insert(id.clone()) {
                    return id;
                }
            }
        }
        String::new()
    }

    /// A valid unified social credit code: `dept` is the registering
    /// authority and kind (91 company, 51 association, 52 private
    /// non-enterprise, 31 law firm).
    pub(super) fn credit_code(&mut self, dept: &str) -> String {
        const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut s = String::with_capacity(18);
        s.push_str(dept);
        s.push_str(&self.region);
        for _ in 0..9 {
            let c = if self.rng.chance(650) {
                CHARSET[self.rng.below(10)]
            } else {
                CHARSET[self.rng.below(CHARSET.len())]
            };
            s.push(char::from(c));
        }
        match credit_check_char(&s) {
            Some(c) => {
                s.push(c);
                s
            }
            None => String::new(),
        }
    }
}
