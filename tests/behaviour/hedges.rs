//! Uncertain sentences (hedges, modals, allegations, questions, conditions) and certain ones
//! (decisions, plans, obligations, plain assertions). The format is described in `table.rs`.

pub const TABLE: &str = r#"
category: uncertain

# Modal verbs and adverbs inside reported content.
list: hedged
    the plant may close in March
    the talks might collapse this week
    the strike could last for weeks
    the bridge will possibly reopen on Sunday
    prices will likely rise next year
    the club may sign a new goalkeeper
    the company might cut 500 jobs
    the budget could include new money for schools

list: standalone
    The senator reportedly met the donor in May.
    The suspect allegedly stole $5,000 from the charity.
    It is unclear whether the talks will resume.
    A tax rise does not necessarily mean higher prices.
    Will the deal survive the vote?
    Some say the policy has failed.
    The results appear to show a fall in crime.
    The data suggest that turnout fell.
    The minister seems unwilling to compromise.
    It is not known how many people were hurt.
    Apparently the club had no plan for the stadium.
    If elected, she would cut taxes for families.
    Her plan would cut taxes by $200 billion.
    The cause of the fire remains unknown.
    The alleged fraud cost investors $2 million.
    Officials are uncertain about the cost of the repairs.
    Why did the company close the plant?
    The purportedly secret memo was published on Friday.

positive: sentence uncertain
8 | {title[k]} {name[k]} said {hedged[k]}. | {hedged[k]}
4 | {Hedged[2k]}, {speaker_mid[2k+1]} said. | {Hedged[2k]}
18 | {standalone[k]} | {opening}
3 | {name[k+2]} did not say whether the company would cut jobs. | {name[k+2]}
# A hedge in the second sentence only.
The company will pay its workers. The plant may close in March. | The plant may close

# Certain sentences next to or like uncertain ones.
list: certain
    The company claimed the product was safe.
    The minister insisted that the budget was balanced.
    Siemens announced it would close the plant in March.
    Residents must leave their homes by Friday.
    The mayor accused the company of lying.
    The bridge reopened to traffic on Sunday.
    The discount works fine if you're eligible.
    It is clear that the talks collapsed on Friday.

near miss: sentence certain
The plant may close. {name[1]} said the company will pay its workers. | said the company will pay
3 | {title[k+4]} {name[k+4]} said the plant will close in March. | {name[k+4]}
8 | {certain[k]} | {opening}


category: certain_decisions_and_plans

list: decision
    announced it would close the plant in March
    said it will open a data centre in Wales
    has agreed to sell its stake in the club
    decided it would reopen the embassy next week
    announced it would cut 500 jobs

list: plan
    will visit Paris on Monday
    will meet the union leaders next week
    will sign the bill on Friday
    is due to fly to Tokyo on Sunday

list: obligation
    The company must pay a fine of $2 million.
    Residents must leave their homes by Friday.
    All drivers must carry a licence.

# Reporting verbs that keep distance are not cues by themselves.
list: distancing
    claimed
    insisted

positive: sentence certain
5 | {speaker[3k+2]} {decision[k]}. | {speaker[3k+2]}
4 | {title[k+1]} {name[k+1]} {plan[k]}. | {name[k+1]}
3 | {obligation[k]} | {opening}
# Plain attributed assertions.
5 | {title[k+3]} {name[k+3]} said {content[k]}. | {name[k+3]}
4 | {name[k+4]} {distancing[k]} that {content[k+2]}. | {name[k+4]}
Labour accused the government of lying about the budget. | Labour
The discount works fine if you're eligible. | The discount
Schools will reopen on Tuesday, the ministry said. | Schools

# The same plans with doubt.
near miss: sentence uncertain
Siemens said it may close the plant in March. | Siemens
{title[1]} {name[1]} might visit Paris on Monday. | {name[1]}
The company could pay a fine of $2 million. | The company
If elected, {name[2]} would cut taxes for families. | If elected
{name[3]} reportedly insisted that {content[3]}. | {name[3]}
It is unclear whether {name[4]} will visit Paris. | It is unclear
Southcorp will probably close the plant in March. | Southcorp
"#;
