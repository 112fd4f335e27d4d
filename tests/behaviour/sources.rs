//! Source types other than anonymous: organisations, documents, media, named officials, named
//! persons and vague sources. The format is described in `table.rs`.

pub const TABLE: &str = r#"
category: spokesperson_is_organization

positive: source type organization
8 | A {org_adj[k]} spokeswoman said {content[k]}. | spokeswoman
8 | A spokesman for {org_for[k]} said {content[k+3]}. | spokesman
4 | {Content[k+5]}, a {org_adj[2k+1]} spokesperson said. | spokesperson
4 | "{quote[k]}," a representative for {org_for[2k]} said. | representative
# The organisation is identified in the sentence before.
Southcorp cut 500 jobs last year. A spokeswoman for the firm said the plant will close in March. | spokeswoman
Labour published its manifesto on Monday. A party spokesman said the party will scrap the tax. | spokesman

# A named spokesperson is a named official.
near miss: source type named_official
4 | {org_adj[k+2]} spokeswoman {name[k]} said {content[k+1]}. | {name[k]}
3 | {name[k+4]}, a spokesman for {org_for[k+1]}, said {content[k+2]}. | {name[k+4]}

# Unnamed people who do not speak for the organisation stay anonymous.
near miss: source type anonymous
3 | A source close to {org_for[k+2]} said {content[k+4]}. | A source
3 | A {org_adj[k]} official, who asked not to be named, said {content[k+6]}. | official
An aide said {content[2]}. | An aide


category: organization_as_speaker

positive: source type organization
18 | {speaker[k]} {speaker_verb[k]} {speaker_says[k]}. | {speaker[k]}
# Every third speaker after its content; Busted take a plural verb.
{Speaker_says[0]}, {speaker_mid[0]} have said. | {speaker_mid[0]}
5 | {Speaker_says[3k+3]}, {speaker_mid[3k+3]} said. | {speaker_mid[3k+3]}
WikiLeaks said {finding[6]}. | WikiLeaks
3 | "{quote[k]}," {speaker[3k+1]} said in a statement. | {speaker[3k+1]}

# Named officials of those organisations.
near miss: source type named_official
Labour leader {name[0]} said {content[3]}. | {name[0]}
{name[1]}, Southcorp's chief executive, said {content[1]}. | {name[1]}
Arsenal manager {name[5]} said {content[7]}. | {name[5]}
Kremlin spokesman {name[3]} said {content[2]}. | {name[3]}

# Loose sets of people are vague.
near miss: source type vague
Many Labour voters say the party has lost its way. | Many Labour voters
Some fans said {content[7]}. | Some fans

# Emails released by WikiLeaks as the source are a document.
near miss: source type document
Emails released by WikiLeaks show {finding[6]}. | Emails


category: document

# The findings go round the fillers from one row to the next.
list: report_by
    the UN
    the World Bank
    Amnesty International
    the OECD

positive: source type document
4 | A report by {report_by[k]} found that {finding[k+1]}. | report
The poll showed {finding[5]}. | poll
The latest poll shows {finding[6]}. | poll
Court documents show {finding[0]}. | Court documents
Court records filed on Monday show {finding[1]}. | Court records
A Pew poll found {finding[2]}. | Pew poll
A survey by Gallup found {finding[3]}. | survey
According to the study, {finding[4]}. | study
Emails released by WikiLeaks show {finding[5]}. | Emails
The company's annual filing shows {finding[6]}. | filing
A letter from the ministry said {finding[0]}. | letter
The report said {finding[1]}. | report
A written statement from Southcorp said {finding[2]}. | statement
The transcript shows {finding[3]}. | transcript
Data from the census show {finding[4]}. | Data
A study published in The Lancet found {finding[5]}. | study
A Washington Post-ABC News poll found {finding[6]}. | poll
According to an internal audit, {finding[0]}. | audit
The inspection report concluded that {finding[1]}. | report
Forty-one percent of respondents said they oppose the new tax. | respondents

# The body itself speaking is an organisation.
list: body
    The UN
    WikiLeaks
    Amnesty International

near miss: source type organization
3 | {body[k]} said {finding[k+2]}. | {body[k]}

# A news story is media.
near miss: source type media
The newspaper reported {finding[5]}. | The newspaper

# The author of a study with an institution is a named official.
near miss: source type named_official
{name[4]}, who led the study at Oxford University, said {finding[6]}. | {name[4]}

# An official who has seen the report is the source, not the report.
near miss: source type anonymous
A senior official who has seen the report said {finding[0]}. | A senior official


category: media

positive: source type media
10 | {Outlet[k]} reported {content[k]}. | {outlet[k]}
5 | {Content[2k+3]}, {outlet[2k]} reported. | {outlet[2k]}
3 | According to {outlet[3k+1]}, {content[3k+6]}. | {outlet[3k+1]}
# The outlet is named in the sentence before.
Le Monde published the letter on Friday. The newspaper said {content[2]}. | The newspaper
The Guardian published the letter on Friday. The daily reported {content[3]}. | The daily
CNN published the letter on Friday. The network reported {content[4]}. | The network
The BBC published the letter on Friday. The broadcaster said {content[5]}. | The broadcaster
An editorial in Le Monde argued that {content[3]}. | editorial

# Polls and videos are documents, even when an outlet made them.
near miss: source type document
A Washington Post poll found {finding[1]}. | poll
A Reuters/Ipsos survey found {finding[0]}. | survey
A video posted by the ministry shows {finding[5]}. | video

# A named editor is a named official.
near miss: source type named_official
The Guardian's editor, {name[6]}, said {content[1]}. | {name[6]}
Der Spiegel editor {name[7]} said {content[4]}. | {name[7]}


category: named_official

positive: source type named_official
Italian Prime Minister Giorgia Meloni said the talks collapsed on Friday. | Giorgia Meloni
8 | {title[k]} {name[k]} said {content[k]}. | {name[k]}
8 | {name[k]}, {role[k]}, said {content[k+2]}. | {name[k]}
4 | "{quote[k]}," said {title[k+5]} {name[k+3]}. | {name[k+3]}
# A short name later in the document takes the type of the person it refers to.
4 | {title[k+2]} {name[2k+1]} visited the factory on Monday. {short[2k+1]} said {content[k+4]}. | {short[2k+1]} said

# Private individuals, unnamed officials, organisations.
near miss: source type named_person
3 | {name[k]}, {private[k]}, said {witness[k]}. | {name[k]}
near miss: source type anonymous
A senior official said {content[5]}. | A senior official
near miss: source type organization
Southcorp said {content[1]}. | Southcorp


category: named_person

list: age
    54
    19
    67
    40

positive: source type named_person
8 | {name[k]}, {private[k]}, said {witness[k]}. | {name[k]}
4 | A voter named {name[k+2]} said {witness[k+1]}. | {name[k+2]}
4 | {name[k+5]}, {age[k]}, said {witness[k+3]}. | {name[k+5]}
4 | "{Witness[k+2]}," said {name[k+1]}, {private[k+4]}. | {name[k+1]}
# No role or affiliation given anywhere in the document.
3 | {name[k+4]} said {witness[k+4]}. | {name[k+4]}

# Named people with a public role.
near miss: source type named_official
3 | {title[k+2]} {name[k+5]} said {witness[k]}. | {name[k+5]}
Dr. {name[0]}, a surgeon at St Mary's Hospital, said {witness[2]}. | {name[0]}

# Unnamed private individuals stay anonymous.
near miss: source type anonymous
A retiree from Tampa said {witness[0]}. | A retiree
A bartender said {witness[4]}. | A bartender


category: vague

list: head
    critics
    analysts
    experts
    traders
    observers
    supporters
    many people
    some economists
    residents

# Sentence-initial (capitalised) and sentence-medial (lower case) forms of each head:
# capitalisation must not decide the type.
positive: source type vague
9 | {Head[k]} said {content[k]}. | {Head[k]}
& | {Content[k+4]}, {head[k]} said. | {head[k]}
Experts warned that {content[0]}. | Experts
Critics say {content[3]}. | Critics
According to analysts, {content[1]}. | analysts
Traders said {content[2]}. | Traders
Prices rose on Monday, traders said. | traders

# Named analysts, specific unnamed individuals.
near miss: source type named_official
2 | Barclays analyst {name[k+2]} said {content[k+1]}. | {name[k+2]}
near miss: source type anonymous
A trader in London said {content[2]}. | A trader
Two analysts familiar with the matter said {content[4]}. | Two analysts
"#;
