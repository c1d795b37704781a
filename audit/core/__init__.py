"""The shared layer under the features: the clock, small query helpers, the password policy
and other pieces every feature uses and no feature owns (text folding and sorting are
`audit.textfold` and `audit.textsort`; the file store is `audit.storage`). Nothing here
imports a feature."""
