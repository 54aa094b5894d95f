//! Typed ids: Lightspeed's record ids as `u64` newtypes, so an item id can never be passed where
//! an order id is wanted. Lightspeed's ids are decimal integers sent as strings; each id reads
//! from `"412"` or `412` and writes `"412"`, on Lightspeed's wire and on ours alike.

use super::scalar::Scalar;
use serde::Deserialize;

/// Defines an id newtype: a `u64` read from `"412"` or `412`, written as `"412"`.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl From<u64> for $name {
            fn from(n: u64) -> Self {
                $name(n)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match de_opt_u64(d)? {
                    Some(n) => Ok($name(n)),
                    None => Err(serde::de::Error::custom(concat!("missing ", stringify!($name)))),
                }
            }
        }
    };
}

/// An optional non-negative whole number from `"4"`, `4` or `"4.0"`; `""` and `null` are `None`.
pub fn de_opt_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error;
    match Scalar::deserialize(d)?.to_whole().map_err(D::Error::custom)? {
        None => Ok(None),
        Some(i) => u64::try_from(i).map(Some).map_err(|_| D::Error::custom(format!("expected a count, got {i}"))),
    }
}

id_type!(
    /// `accountID`
    AccountId
);
id_type!(
    /// `shopID` (0 is the account-wide summary in `ItemShops`)
    ShopId
);
id_type!(
    /// `vendorID`
    VendorId
);
id_type!(
    /// `manufacturerID`
    ManufacturerId
);
id_type!(
    /// `categoryID`
    CategoryId
);
id_type!(
    /// `itemAttributeSetID` (1 Color/Size, 2 Size, 3 Color, 4 three attributes in a stock account)
    ItemAttributeSetId
);
id_type!(
    /// `itemMatrixID`
    ItemMatrixId
);
id_type!(
    /// `itemID`
    ItemId
);
id_type!(
    /// `orderID` (a purchase order)
    OrderId
);
id_type!(
    /// `orderLineID`
    OrderLineId
);
id_type!(
    /// `noteID`
    NoteId
);
id_type!(
    /// `taxClassID`
    TaxClassId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_strings_or_numbers_and_write_strings() {
        assert_eq!(serde_json::from_str::<OrderId>("\"412\"").unwrap(), OrderId(412));
        assert_eq!(serde_json::from_str::<OrderId>("412").unwrap(), OrderId(412));
        assert_eq!(serde_json::from_str::<OrderId>("\"412.0\"").unwrap(), OrderId(412));
        assert!(serde_json::from_str::<OrderId>("\"\"").is_err());
        assert!(serde_json::from_str::<OrderId>("\"-1\"").is_err());
        assert!(serde_json::from_str::<OrderId>("\"4.5\"").is_err());
        assert_eq!(serde_json::to_string(&ItemId(7)).unwrap(), "\"7\"");
        assert_eq!(" 9 ".parse::<ShopId>().unwrap(), ShopId(9));
    }
}
