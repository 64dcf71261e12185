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
    pub const ALL: [Self; 3] = [Self::Person, Self::Group, Self::Collective];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Group => "group",
            Self::Collective => "collective",
        }
    }

    /// The kind `as_str` names `input`: the names are written once, there.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == input)
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
    pub const ALL: [Self; 2] = [Self::Analyst, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_roles_round_trip() {
        for kind in ExpertKind::ALL {
            assert_eq!(ExpertKind::parse(kind.as_str()), Some(kind));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(ExpertKind::parse("robot"), None);
        assert_eq!(Role::parse("root"), None);
    }
}
