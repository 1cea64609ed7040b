//! `labelled_enum!`: the registry's closed sets of values (kinds, tiers, states, purposes...),
//! each value with a stable key for storage and JSON and a label in both languages. The
//! [`crate::vocabulary::Vocabulary`] hands every set to the UI; imports read keys and labels
//! back with `parse`.

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key used in the database, the CLI and JSON.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> $crate::lang::Text {
                match self { $($name::$variant => $crate::lang::Text::new($zh, $en)),+ }
            }

            /// Reads a key (`enterprise`) or a Chinese or English label (`企业`, `Enterprise`).
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                // Compared with the literals, not through `label()`: an import reads this
                // for every row and should not build the labels each time.
                $(if s == $key || s == $zh || s.eq_ignore_ascii_case($en) {
                    return Some($name::$variant);
                })+
                None
            }

            /// The accepted keys, for error messages.
            pub fn keys() -> String {
                Self::ALL.iter().map(|v| v.key()).collect::<Vec<_>>().join(", ")
            }

            /// [`Self::parse`] for a value typed into `field`, with a message listing the
            /// accepted keys when it is none of them.
            pub fn parse_for(field: $crate::field::Field, raw: &str) -> Result<$name, $crate::error::Problem> {
                Self::parse(raw).ok_or_else(|| {
                    let keys = Self::keys();
                    $crate::error::Problem::new(
                        field,
                        "choice_invalid",
                        format!("“{raw}”不是可选值，可选：{keys}"),
                        format!("'{raw}' is not one of: {keys}"),
                    )
                })
            }
        }
    };
}
pub(crate) use labelled_enum;
