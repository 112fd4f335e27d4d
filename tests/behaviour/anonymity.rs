//! Anonymous sources: with a reason for the anonymity, with a basis of knowledge, and plain.
//! The format is described in `table.rs`.

pub const TABLE: &str = r#"
category: anonymous_with_reason

list: head
    a senior official
    a Western diplomat
    an aide to the governor
    a police officer
    a senior administration official
    a government adviser

positive: anonymity, with reason
4 | {Head[k]}, who spoke on condition of anonymity, said {content[k]}. | {head[k]}
4 | {Head[k+1]}, who asked not to be named, said {content[k+2]}. | {head[k+1]}
4 | {Head[k+2]} said {content[k+4]}, speaking on condition of anonymity because the talks are private. | {head[k+2]}
4 | {Head[k+3]}, who spoke anonymously because the matter is sensitive, said {content[k+6]}. | {head[k+3]}
4 | {Head[k+4]}, speaking on condition of anonymity to discuss internal deliberations, said {content[k]}. | {head[k+4]}

# Anonymous sources that give no reason.
near miss: anonymity, without reason
6 | {Head[k]} said {content[k+3]}. | {head[k]}
3 | {Content[k+5]}, {head[k]} told reporters. | {head[k]}

# The condition of anonymity is not a second attribution.
near miss: no cue in the phrase
3 | {Head[k]}, who asked not to be named, said {content[k]}. | asked not to be named
2 | {Head[k+3]}, who requested anonymity, said {content[k+4]}. | requested anonymity
2 | {Head[k+1]}, who declined to be identified, said {content[k+6]}. | declined to be identified

# A named official with a circumstantial clause is not anonymous.
near miss: no anonymity
3 | {title[k+1]} {name[k]}, speaking at a news conference, said {content[k+2]}. | {name[k]}


category: anonymous_with_knowledge

# The contents go round the fillers from one row to the next.
list: familiar
    Two officials
    A person
    People
    Three sources
    A source
    Two executives

list: briefed
    a person
    two diplomats
    people
    an official

list: direct
    A person
    Two officials
    A source
    A senior executive

list: present
    An official
    A diplomat
    A senior executive
    A police officer

list: reader
    An official
    A diplomat
    A lawyer

list: investigation
    people
    two officials

positive: anonymity, with knowledge basis
6 | {familiar[k]} familiar with the matter said {content[k+1]}. | {familiar[k]}
4 | {Content[k+7]}, according to {briefed[k]} briefed on the talks. | {briefed[k]}
4 | {direct[k]} with direct knowledge of the negotiations said {content[k+3]}. | {direct[k]}
4 | {present[k]}, who was present at the meeting, said {content[k+7]}. | {present[k]}
3 | {reader[k]} who has read the draft agreement said {content[k+3]}. | {reader[k]}
2 | {Content[k+6]}, said {investigation[k]} briefed on the investigation. | {investigation[k]}

# Anonymous sources with no basis of knowledge.
list: plain
    A senior official
    Two officials
    A diplomat
    An aide
    A police officer
    A government adviser

list: unexplained
    A senior official
    A Western diplomat
    An aide

near miss: anonymity, without knowledge basis
6 | {plain[k]} said {content[k]}. | {plain[k]}
3 | {unexplained[k]}, who spoke on condition of anonymity, said {content[k+6]}. | {unexplained[k]}


category: anonymous_plain

list: head
    a senior official
    two officials familiar with the matter
    people briefed on the talks
    a diplomatic source
    an aide
    a campaign aide
    a second source
    a source close to the talks
    a bartender
    a senior administration official

# Each head twice, in two of three forms (said, after the content, according to) that take
# turns: heads 3k, 3k+1 and 3k+2, then the tenth head as the first.
positive: source type anonymous
3 | {Head[3k]} said {content[3k]}. | {head[3k]}
& | {Content[3k+3]}, {head[3k]} said. | {head[3k]}
& | {Content[3k+1]}, {head[3k+1]} said. | {head[3k+1]}
& | According to {head[3k+1]}, {content[3k+4]}. | {head[3k+1]}
& | According to {head[3k+2]}, {content[3k+2]}. | {head[3k+2]}
& | {Head[3k+2]} said {content[3k+5]}. | {head[3k+2]}
{Head[9]} said {content[1]}. | {head[9]}
{Content[4]}, {head[9]} said. | {head[9]}
# RUBRIC: a pseudonymous persona whose real identity is unknown is anonymous.
A hacker calling himself Guccifer 2.0 said the files came from the party's servers. | Guccifer 2.0

# Named, organisational or vague sources.
near miss: source type named_official
3 | {title[k]} {name[k+3]} said {content[k]}. | {name[k+3]}
near miss: source type organization
2 | A {org_adj[k]} spokeswoman said {content[k+4]}. | spokeswoman
near miss: source type vague
Critics said {content[3]}. | Critics
{Content[6]}, critics said. | critics
near miss: source type named_person
{name[6]}, {private[0]}, said {witness[0]}. | {name[6]}
"#;
