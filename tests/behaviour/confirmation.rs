//! Confirmation by a named source, and refusals to confirm, which are no confirmation. The
//! format is described in `table.rs`.

pub const TABLE: &str = r#"
category: confirmation

positive: confirmation true
The deal was confirmed by Italian Prime Minister Giorgia Meloni. | Giorgia Meloni
4 | The closure was confirmed by {title[k+1]} {name[k]} on Tuesday. | {name[k]}
5 | {title[k+3]} {name[k+3]} confirmed that {content[k]}. | {name[k+3]}
5 | {speaker[3k+1]} confirmed that {speaker_says[3k+1]}. | {speaker[3k+1]}
Busted have confirmed they will reunite for a tour. | Busted
A Microsoft spokeswoman confirmed that {content[1]}. | spokeswoman
{name[2]}, the company's chief executive, confirmed that {content[0]}. | {name[2]}
{name[5]}, who witnessed the crash, confirmed that {witness[1]}. | {name[5]}

# The source is not named, or nothing is confirmed.
near miss: confirmation false
A senior official confirmed that {content[2]}. | A senior official
Two people familiar with the matter confirmed that {content[4]}. | Two people familiar with the matter
Analysts confirmed that {content[6]}. | Analysts
Le Monde confirmed that {content[3]}. | Le Monde
The report confirmed that {finding[2]}. | The report
3 | {title[k]} {name[k+1]} said {content[k+5]}. | {name[k+1]}
3 | {title[k+4]} {name[k+4]} denied that {content[k+1]}. | {name[k+4]}


category: refusal_not_confirmation

list: refusal
    declined to confirm that
    would not confirm that
    could neither confirm nor deny that
    refused to confirm that
    did not confirm that

positive: confirmation false
5 | {title[k]} {name[k]} {refusal[k]} {content[k]}. | {name[k]}
& | {speaker[3k+2]} {refusal[k]} {speaker_says[3k+2]}. | {speaker[3k+2]}
5 | A {org_adj[k]} spokeswoman {refusal[k]} {content[k+3]}. | spokeswoman
Southcorp declined to confirm the layoffs. | Southcorp
The Kremlin would neither confirm nor deny the report. | The Kremlin
Microsoft could not immediately confirm the figures. | Microsoft
Arsenal refused to confirm or deny the report. | Arsenal
Siemens did not deny that the plant will close. | Siemens
2 | {name[k+5]}, the company's chief executive, declined to confirm that {content[k+6]}, saying only that talks are continuing. | {name[k+5]}

# Real confirmations by named sources.
near miss: confirmation true
3 | {speaker[4k+3]} later confirmed that {speaker_says[4k+3]}. | {speaker[4k+3]}
2 | {title[k+5]} {name[k+2]}, who had declined to comment on Monday, confirmed on Tuesday that {content[k+2]}. | {name[k+2]}
{name[7]}, a spokesman for Rio Tinto, did confirm that {content[1]}. | {name[7]}
"#;
