/// What kind of speaker an expert record stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpertKind {
    Person,
    /// Co-authors speaking as one, e.g. the two authors of an issue brief.
    Group,
    /// An anonymous speaker or body: "a senior presidential official", "experts in Seoul".
    Collective,
}

impl ExpertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Group => "group",
            Self::Collective => "collective",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "person" => Some(Self::Person),
            "group" => Some(Self::Group),
            "collective" => Some(Self::Collective),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Group => "Group",
            Self::Collective => "Anonymous collective",
        }
    }
}

/// An analyst may enter data and record outcomes; an admin may also manage accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Analyst,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "analyst" => Some(Self::Analyst),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_roles_round_trip() {
        for kind in [
            ExpertKind::Person,
            ExpertKind::Group,
            ExpertKind::Collective,
        ] {
            assert_eq!(ExpertKind::parse(kind.as_str()), Some(kind));
        }
        for role in [Role::Analyst, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(ExpertKind::parse("robot"), None);
        assert_eq!(Role::parse("root"), None);
    }
}
