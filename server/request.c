/*
 * request.c — what every privileged handler shares to read a request and
 * to answer it: the table of error codes with their French and English
 * texts (web.c reads it too, meeting_error_lookup), the replies (mr_*),
 * the strict JSON readers (mj_*) and the protocol's signed statements
 * (stmt_*, ts_fresh).
 *
 * Trusts nothing it reads: a body is refused whole for malformed JSON, a
 * duplicate, unknown or missing key, or a field of the wrong type or
 * length; a statement is checked over its exact framed bytes.
 *
 * Invariants: a reply is an error (the table's status, its code, an
 * optional field, no document but the article or the engine's detail)
 * or 200 with its document; a code missing from the table answers 500.
 * The server signs only statements framed here ("scrutin/1", the kind,
 * then the fields).
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/scrutin_crypto.h"
#include "server/cred.h"
#include "crypto/hex.h"

/* ---- errors ---- */

static const struct {
	const char *code;
	int status;
	const char *fr, *en;
} merrors[] = {
	{ "unauthorized", 401, "authentification requise ou jeton invalide",
	    "authentication required or invalid token" },
	{ "forbidden", 403, "action réservée à un autre rôle",
	    "this action belongs to another role" },
	{ "not_eligible", 403, "cette voix ne peut pas voter à cette question",
	    "this voice may not vote on this question" },
	{ "bad_ballot", 400,
	    "bulletin invalide (structure, preuve ou signature)",
	    "invalid ballot (structure, proof or signature)" },
	{ "wrong_question", 400,
	    "le bulletin est pour une autre question ou élection",
	    "the ballot is for another question or election" },
	{ "bad_proof", 400, "preuve invalide", "invalid proof" },
	{ "question_not_recorded", 409, "cette question n'est pas dans le"
	    " registre public (un candidat sans identifiant de vote dans le"
	    " registre, par exemple) : aucun bulletin ne peut s'y engager",
	    "this question is not in the public record (a candidate without"
	    " a voting credential in the record, for instance): no ballot can"
	    " commit to it" },
	{ "meeting_unknown", 404, "réunion inconnue", "no such meeting" },
	{ "question_unknown", 404, "question inconnue", "no such question" },
	{ "receipt_unknown", 404, "reçu introuvable dans l'urne",
	    "no such receipt in the ballot box" },
	{ "wrong_phase", 409, "action impossible à ce stade",
	    "not possible at this stage" },
	{ "threshold_too_low", 409, "il faut au moins deux scrutateurs, dont"
	    " deux nécessaires pour déchiffrer (hors démonstration)",
	    "at least two scrutineers are needed, two of them to decrypt"
	    " (outside the demo)" },
	{ "not_present", 403,
	    "présence non pointée à l'ouverture de ce vote : seules les"
	    " voix présentes ou à distance à l'ouverture votent",
	    "not checked in when this question opened: only the voices"
	    " present or remote at the opening vote" },
	{ "already_voted", 409,
	    "un bulletin a déjà été déposé pour cette voix",
	    "a ballot was already cast for this voice" },
	{ "already_done", 409, "déjà fait", "already done" },
	{ "bad_audit", 400,
	    "bulletin vérifié invalide : l'ouverture ne correspond pas au"
	    " chiffrement (le détail dit quel contrôle échoue)",
	    "invalid audited ballot: the opening does not match the"
	    " encryption (the detail says which check fails)" },
	{ "audit_limit", 429,
	    "trop de vérifications pour cette voix à cette question :"
	    " déposez votre bulletin",
	    "too many audits for this voice on this question: cast your"
	    " ballot" },
	{ "ballot_audited", 409,
	    "ce bulletin a été ouvert pour vérification : il ne peut plus"
	    " être déposé ; chiffrez-en un nouveau",
	    "this ballot was opened for an audit: it can no longer be cast;"
	    " encrypt a new one" },
	{ "record_refused", 409,
	    "refusé : après cette opération, l'enregistrement public de la"
	    " réunion ne serait plus vérifiable (le détail dit quel contrôle"
	    " échoue) ; rien n'a été modifié. Corrigez la cause, puis"
	    " recommencez",
	    "refused: after this operation the meeting's public record would"
	    " no longer verify (the detail says which check fails); nothing"
	    " was changed. Correct the cause, then try again" },
	{ "stale_minutes", 409,
	    "le procès-verbal a changé depuis sa lecture : relisez-le puis"
	    " signez de nouveau",
	    "the minutes changed since they were read: read them again, then"
	    " sign" },
	{ "remote_not_allowed", 403,
	    "les statuts ne prévoient pas la participation à distance pour"
	    " cette instance : pointez votre présence dans la salle",
	    "the statutes do not provide for remote attendance in this body:"
	    " check in from the room" },
	{ "late_candidacy_refused", 403,
	    "les statuts n'admettent pas de candidature déclarée pendant la"
	    " réunion",
	    "the statutes do not allow a candidacy declared during the"
	    " meeting" },
	{ "not_two_round", 400,
	    "les statuts ne prévoient qu'un tour pour cette élection",
	    "the statutes provide a single round for this election" },
	{ "no_second_round", 409,
	    "le premier tour n'appelle pas de second tour (élu, égalité ou"
	    " résultat indéterminé)",
	    "round 1 calls for no second round (elected, tie or undetermined"
	    " result)" },
	{ "second_round_exists", 409,
	    "le second tour de cette élection existe déjà",
	    "this election's second round already exists" },
	{ "no_tie", 409,
	    "cette élection n'a pas d'égalité non départagée : pas de"
	    " nouveau vote à organiser",
	    "this election has no unresolved tie: there is no re-vote to"
	    " hold" },
	{ "revote_exists", 409,
	    "le nouveau vote entre les ex æquo de cette élection existe déjà",
	    "the re-vote between this election's tied candidates already"
	    " exists" },
	{ "secret_required", 400,
	    "les statuts imposent un vote à bulletin secret pour cette"
	    " question",
	    "the statutes require a secret ballot for this question" },
	{ "trigger_refused", 400,
	    "les statuts ne prévoient pas ce déclencheur du vote à bulletin"
	    " secret pour cette instance",
	    "the statutes provide no such secret-ballot trigger in this"
	    " body" },
	{ "no_unanimity", 400,
	    "la renonciation unanime au scrutin secret demande que tous les"
	    " membres ayant voix délibérative soient présents et la"
	    " souhaitent ; un ou plusieurs sont absents",
	    "the unanimous waiver of the secret ballot needs every member"
	    " with a vote present and wishing it; one or more are absent" },
	{ "key_required", 409,
	    "le vote devient à bulletin secret : la clé d'élection est"
	    " nécessaire (cérémonie des scrutateurs terminée)",
	    "the vote becomes a secret ballot: the election key is needed"
	    " (the scrutineers' ceremony done)" },
	{ "sequence_refused", 400,
	    "les statuts n'élisent pas le président en premier pour cette"
	    " élection : pas de poste de président",
	    "the statutes do not elect the president first in this"
	    " election: no president's post" },
	{ "president_post_exists", 409,
	    "le poste de président de cette élection existe déjà (il n'est"
	    " pas encore dépouillé, ou un président est élu)",
	    "this election's president's post already exists (not counted"
	    " yet, or a president is elected)" },
	{ "bureau_sequence", 409,
	    "le Bureau s'élit poste par poste : le président en premier,"
	    " sous la présidence du doyen d'âge, puis les autres postes sous"
	    " la présidence du président élu ; les statuts refusent"
	    " d'ouvrir ce scrutin maintenant (voir detail)",
	    "the Bureau is elected post by post: the president first, under"
	    " the eldest member, then the other posts under the newly"
	    " elected president; the statutes refuse to open this vote now"
	    " (see detail)" },
	{ "amendments_refused", 403,
	    "les statuts ne prévoient pas d'amendement pour cette instance :"
	    " la motion est votée telle qu'elle a été proposée",
	    "the statutes provide for no amendment in this body: the motion"
	    " is voted as it was proposed" },
	{ "amendment_supporters", 403,
	    "le membre qui propose l'amendement n'est pas soutenu par assez"
	    " de membres (voir le détail : l'article des statuts)",
	    "the member proposing the amendment is not supported by enough"
	    " members (see the detail: the statutes' article)" },
	{ "amendment_proposer", 400,
	    "l'auteur de l'amendement doit être un membre de la liste,"
	    " présent (pointé dans la salle ou à distance)",
	    "the amendment's proposer must be a member of the roll, present"
	    " (checked in, in the room or remote)" },
	{ "not_amendable", 400,
	    "seule une motion peut être amendée, pas une élection ni un"
	    " amendement",
	    "only a motion can be amended, not an election or an amendment" },
	{ "amendment_pending", 409,
	    "un amendement à cette motion n'est pas encore voté et dépouillé :"
	    " votez d'abord l'amendement, puis la motion",
	    "an amendment to this motion is not yet voted and counted: vote"
	    " the amendment first, then the motion" },
	{ "alternatives_refused", 400,
	    "les statuts ne prévoient pas de motions alternatives pour cette"
	    " instance",
	    "the statutes provide no alternative motions in this body" },
	{ "proxy_exists", 409,
	    "vous avez déjà donné une procuration : retirez-la avant d'en"
	    " donner une autre",
	    "you have already given a proxy: withdraw it before giving"
	    " another" },
	/* The random reassignment of an absent holder's proxies (Espace+
	 * art. 4, server/proxy_draw.c). */
	{ "draw_not_provided", 403,
	    "les statuts ne prévoient pas de tirage au sort des procurations"
	    " pour cette instance",
	    "the statutes provide no draw of proxies in this body" },
	{ "volunteer_exists", 409,
	    "vous êtes déjà volontaire pour recevoir une procuration",
	    "you already volunteer to take a proxy" },
	{ "volunteer_none", 409,
	    "vous n'êtes pas volontaire : rien à retirer",
	    "you do not volunteer: nothing to withdraw" },
	{ "volunteer_not_later", 409,
	    "votre déclaration précédente porte la même heure (à la seconde"
	    " près) ou une heure plus récente : réessayez dans une seconde",
	    "your previous statement bears the same time (to the second) or"
	    " a later one: try again in a second" },
	{ "mailin_not_allowed", 409,
	    "les statuts de cette instance n'admettent pas le vote par"
	    " correspondance",
	    "the statutes of this body do not admit mail-in votes" },
	{ "mailin_opened", 409,
	    "la fenêtre du vote par correspondance est déjà ouverte",
	    "the mail-in window is already open" },
	{ "mailin_ceremony", 409,
	    "une motion secrète est à l'ordre du jour : faites d'abord la"
	    " cérémonie des clés, puis ouvrez le vote par correspondance",
	    "a secret motion is on the agenda: hold the key ceremony first,"
	    " then open the mail-in vote" },
	{ "mailin_not_open", 409,
	    "le vote par correspondance n'est pas ouvert pour cette"
	    " réunion",
	    "the mail-in vote is not open for this meeting" },
	{ "mailin_closed", 409,
	    "le vote par correspondance est clos : votez en séance",
	    "the mail-in vote is closed: vote at the meeting" },
	{ "mailin_not_published", 404,
	    "cette question n'est pas soumise au vote par correspondance",
	    "this question is not open to the mail-in vote" },
	{ "mailin_no_fallback", 409,
	    "les statuts ne prévoient pas de procuration de repli pour le"
	    " vote par correspondance",
	    "the statutes provide for no fallback proxy with the mail-in"
	    " vote" },
	{ "mailin_fallback_missing", 409,
	    "désignez d'abord votre mandataire de repli : il votera pour"
	    " vous les motions ajoutées en séance",
	    "name your fallback holder first: they will vote for you on the"
	    " motions added at the meeting" },
	{ "mailin_own_voice", 403,
	    "un bulletin par correspondance se vote pour sa propre voix",
	    "a mail-in ballot is cast for one's own voice" },
	{ "mailin_fallback_refused", 403,
	    "la procuration de repli ne vaut que pour les motions ajoutées en"
	    " séance : sur cette question, le vote par correspondance du"
	    " membre est compté ou n'est pas retenu",
	    "the fallback proxy covers only the motions added at the"
	    " meeting: on this question the member's mail-in vote counts or"
	    " is not admitted" },
	{ "voted_by_mail", 409,
	    "vous avez voté par correspondance sur cette question : votre"
	    " bulletin est déjà compté",
	    "you voted by mail on this question: your ballot already counts" },
	{ "mailin_amend", 409,
	    "cette motion a été publiée pour le vote par correspondance : les"
	    " votes déjà reçus portent sur son texte, elle ne peut pas être"
	    " amendée avant son vote. Mettez-la aux voix telle quelle, puis"
	    " proposez au besoin une nouvelle motion",
	    "this motion was published for the mail-in vote: the votes"
	    " already received are on its text, it cannot be amended before"
	    " its vote. Put it to the vote as it is, then propose a new"
	    " motion if needed" },
	{ "mailin_published", 409,
	    "cette motion a été publiée pour le vote par correspondance :"
	    " son texte et son mode de scrutin ne peuvent plus changer",
	    "this motion was published for the mail-in vote: its text and"
	    " its voting method can no longer change" },
	{ "mailin_no_question", 409,
	    "aucune motion de l'ordre du jour à voter par correspondance :"
	    " ajoutez d'abord l'ordre du jour",
	    "no agenda motion to vote by mail: add the agenda first" },
	{ "draw_seeded", 409,
	    "le tirage au sort est clos : on se porte volontaire ou se"
	    " retire avant l'ouverture de la séance, et un scrutateur révèle"
	    " sa contribution avant que la graine soit fixée",
	    "the draw is closed: members volunteer or withdraw before the"
	    " meeting starts, and a scrutineer reveals before the seed is"
	    " fixed" },
	{ "draw_not_seeded", 409,
	    "le tirage au sort n'a pas encore eu lieu : sa graine est fixée"
	    " après l'ouverture de la séance, quand le dernier scrutateur"
	    " engagé a révélé sa contribution (ou quand le modérateur"
	    " procède sans elle) ; réessayez ensuite",
	    "the draw has not taken place yet: its seed is fixed after the"
	    " meeting starts, when the last scrutineer who committed has"
	    " revealed (or when the moderator proceeds without it); try"
	    " again then" },
	{ "draw_pending", 409,
	    "en attente des révélations des scrutateurs : cette question"
	    " dépend du tirage au sort, dont la graine n'est pas encore"
	    " fixée. Attendez que chaque scrutateur engagé révèle sa"
	    " contribution, ou procédez sans les contributions manquantes"
	    " (console du modérateur), puis ouvrez la question",
	    "waiting for the scrutineers' reveals: this question depends on"
	    " the random draw, whose seed is not fixed yet. Wait for each"
	    " scrutineer who committed to reveal, or proceed without the"
	    " missing contributions (moderator's console), then open the"
	    " question" },
	{ "draw_rule_unknown", 400,
	    "les statuts de cette instance ne prévoient pas ce tirage au"
	    " sort : choisissez un tirage qu'ils prévoient",
	    "the statutes of this body provide no such draw: choose a draw"
	    " they provide" },
	{ "draw_exists", 409,
	    "un tirage au sort porte déjà cet identifiant : choisissez-en un"
	    " autre",
	    "a draw already has this id: choose another" },
	{ "pool_member_unknown", 404,
	    "numéro de membre inconnu, sans voix ou sans identifiant actif"
	    " pour cette réunion : vérifiez les numéros de la liste du"
	    " tirage",
	    "unknown member number, without a vote or an active credential"
	    " for this meeting: check the numbers of the draw's list" },
	{ "draw_unknown", 404,
	    "aucun tirage au sort de cet identifiant n'a été déclaré avant"
	    " l'ouverture de la séance",
	    "no draw of this id was declared before the meeting started" },
	{ "draw_refused", 409,
	    "le moteur des statuts refuse ce tirage au sort (voir le détail)",
	    "the statutes engine refuses this draw (see the detail)" },
	{ "draw_closed", 409,
	    "le tirage au sort est clos depuis l'ouverture de la séance :"
	    " il n'est plus possible d'y contribuer",
	    "the draw closed when the meeting started: contributions are"
	    " closed" },
	{ "draw_not_closed", 409,
	    "le tirage au sort n'est pas encore clos : révélez votre"
	    " contribution après l'ouverture de la séance",
	    "the draw is not closed yet: reveal your contribution after the"
	    " meeting starts" },
	{ "draw_no_commit", 409,
	    "vous ne vous êtes pas engagé sur une contribution au tirage"
	    " avant l'ouverture de la séance : rien à révéler",
	    "you did not commit to a contribution before the meeting"
	    " started: nothing to reveal" },
	{ "draw_mismatch", 409,
	    "la valeur révélée ne correspond pas à votre engagement :"
	    " révélez la valeur gardée par votre outil ou votre page",
	    "the value revealed does not match your commitment: reveal the"
	    " value your tool or page kept" },
	{ "not_drawn", 403,
	    "le tirage au sort ne vous a confié aucune procuration : rien à"
	    " refuser",
	    "the draw gave you no proxy: nothing to decline" },
	{ "decline_exists", 409,
	    "vous avez déjà refusé les procurations tirées au sort",
	    "you have already declined the proxies drawn" },
	{ "question_open", 409,
	    "un vote est en cours : refusez la procuration après sa clôture et"
	    " son résultat",
	    "a vote is under way: decline the proxy after its close and"
	    " result" },
	{ "proxy_self", 400,
	    "vous ne pouvez pas vous donner procuration à vous-même :"
	    " choisissez un autre membre",
	    "you cannot give a proxy to yourself: choose another member" },
	{ "holder_unknown", 404,
	    "mandataire inconnu : choisissez un membre de la liste"
	    " d'émargement de cette réunion",
	    "unknown holder: choose a member of this meeting's roll" },
	{ "proxy_none", 409,
	    "aucune procuration à ce mandataire à retirer",
	    "no proxy to this holder to withdraw" },
	{ "proxies_not_allowed", 403,
	    "les statuts ne prévoient pas de procuration pour cette instance",
	    "the statutes provide for no proxy in this body" },
	{ "proxy_channel", 403,
	    "les statuts n'admettent pas de procuration numérique pour cette"
	    " instance : remettez une procuration papier au bureau",
	    "the statutes allow no digital proxy in this body: hand a paper"
	    " proxy to the desk" },
	{ "proxy_deadline", 403,
	    "les procurations sont closes : le délai que fixent les statuts"
	    " avant la réunion est passé",
	    "proxies are closed: the deadline the statutes set before the"
	    " meeting has passed" },
	{ "proxy_no_start", 403,
	    "les statuts fixent un délai de remise des procurations et cette"
	    " réunion n'a pas d'heure de début : recréez-la avec --time",
	    "the statutes set a deadline for proxies and this meeting has no"
	    " start time: create it again with --time" },
	{ "proxy_paper_channel", 403,
	    "seules les procurations numériques sont admises : le membre"
	    " donne sa procuration depuis son téléphone",
	    "only digital proxies are admitted: the member gives the proxy"
	    " from the phone" },
	{ "member_unknown", 404,
	    "numéro de membre inconnu, sans voix ou sans identifiant actif"
	    " pour cette réunion : vérifiez le numéro sur la procuration",
	    "unknown member number, without a vote or an active credential"
	    " for this meeting: check the number on the proxy" },
	{ "no_proxy", 403,
	    "pas de procuration en vigueur de cette voix à votre profit (aucune,"
	    " ou retirée)",
	    "no proxy from this voice to you in force (none, or withdrawn)" },
	{ "proxy_not_in_force", 403,
	    "procuration refusée pour ce vote : elle n'était pas en vigueur"
	    " à son ouverture (donnée, retirée ou changée depuis) ; une"
	    " procuration en vigueur à l'ouverture des votes suivants y"
	    " comptera",
	    "proxy refused for this question: it was not in force when the"
	    " question opened (given, withdrawn or changed since); a proxy"
	    " in force when the next questions open counts there" },
	{ "proxy_over_cap", 403,
	    "procuration refusée : le mandataire détient déjà le nombre"
	    " maximal de procurations (les premières données comptent)",
	    "proxy refused: the holder already holds the most proxies allowed"
	    " (the first given count)" },
	{ "proxy_holder_absent", 403,
	    "procuration refusée : le mandataire n'était pas présent à"
	    " l'ouverture du vote",
	    "proxy refused: the holder was not present when the question"
	    " opened" },
	{ "proxy_giver_present", 403,
	    "procuration refusée : le mandant était présent à l'ouverture du"
	    " vote et vote lui-même",
	    "proxy refused: the giver was present when the question opened"
	    " and votes himself" },
	{ "proxy_refused", 403,
	    "procuration refusée par les statuts pour ce vote (voir reason)",
	    "proxy refused by the statutes for this question (see reason)" },
	{ "not_president", 403,
	    "seul le président redistribue les procurations qu'il détient,"
	    " par sa propre signature",
	    "only the president redistributes the proxies he holds, by his"
	    " own signature" },
	{ "redistribution_not_allowed", 403,
	    "les statuts ne prévoient pas de redistribution des procurations"
	    " par le président",
	    "the statutes provide no redistribution of proxies by the"
	    " president" },
	{ "proxy_not_held", 409,
	    "cette procuration n'est pas détenue par le président : seules"
	    " celles qu'il détient peuvent être redistribuées",
	    "this proxy is not held by the president: only those he holds"
	    " can be redistributed" },
	{ "redistribution_over_cap", 409,
	    "procuration non redistribuée : ce membre détient déjà le nombre"
	    " maximal de procurations ; choisissez-en un autre",
	    "proxy not redistributed: this member already holds the most"
	    " proxies allowed; choose another" },
	{ "redistribution_not_there", 409,
	    "procuration non redistribuée : ce membre n'est pas présent ou n'a"
	    " pas de voix ; choisissez un membre présent",
	    "proxy not redistributed: this member is not present or has no"
	    " vote; choose a member who is present" },
	{ "statutes_refuse", 409,
	    "le moteur des statuts refuse cette situation (voir detail)",
	    "the statutes engine refuses this situation (see detail)" },
	{ "recused", 403,
	    "vous êtes récusé·e sur cette question : les statuts excluent du"
	    " vote le membre concerné par la décision",
	    "you are recused on this question: the statutes exclude the"
	    " member concerned by the decision from the vote" },
	{ "proxy_holder_recused", 403,
	    "procuration sans effet sur cette question : son mandataire y est"
	    " récusé, et les statuts ne lui permettent pas d'y voter pour un"
	    " autre membre",
	    "proxy without effect on this question: its holder is recused"
	    " there, and the statutes do not let him vote for another member"
	    " on it" },
	{ "recusal_member_unknown", 404,
	    "numéro de membre inconnu dans la liste d'émargement de cette"
	    " réunion : vérifiez le numéro du membre à récuser",
	    "member number not on this meeting's roll: check the number of"
	    " the member to recuse" },
	{ "recusal_not_allowed", 403,
	    "les statuts ne prévoient pas de récusation pour cette décision",
	    "the statutes provide no recusal for this decision" },
	{ "represented", 403,
	    "votre procuration est en vigueur pour ce vote : c'est votre"
	    " mandataire qui vote pour vous",
	    "your proxy is in force for this question: your holder votes for"
	    " you" },
	{ "credential_unknown", 404,
	    "identifiant de vote inconnu pour cette réunion",
	    "no such credential for this meeting" },
	{ "credential_revoked", 403, "identifiant de vote révoqué",
	    "credential revoked" },
	{ "bad_signature", 403, "signature invalide", "invalid signature" },
	{ "stale_timestamp", 400,
	    "horodatage trop éloigné de l'heure du serveur",
	    "timestamp too far from the server's clock" },
	{ "malformed_json", 400, "JSON invalide (ou clé en double)",
	    "malformed JSON (or duplicate key)" },
	{ "not_an_object", 400, "le corps doit être un objet JSON",
	    "the body must be a JSON object" },
	{ "unknown_field", 400, "champ inconnu", "unknown field" },
	{ "missing_field", 400, "champ manquant", "missing field" },
	{ "invalid_field", 400, "champ invalide", "invalid field" },
	{ "not_found", 404, "ressource introuvable", "not found" },
	{ "unavailable", 503, "service momentanément indisponible",
	    "service temporarily unavailable" },
	/* A write refused while the storage is degraded (server/storage.c):
	 * "detail" says the cause and what to do, with the free space. */
	{ "storage_full", 503,
	    "disque plein sur le serveur : l'opération n'a pas été"
	    " enregistrée ; libérez de la place puis réessayez (rien de ce"
	    " qui a été confirmé n'est perdu)",
	    "the server's disk is full: the operation was not recorded; free"
	    " some space, then try again (nothing acknowledged is lost)" },
	{ "storage_error", 503,
	    "erreur de stockage sur le serveur : l'opération n'a pas été"
	    " enregistrée (le détail dit la cause et quoi faire)",
	    "storage error on the server: the operation was not recorded (the"
	    " detail says the cause and what to do)" },
};

int
meeting_error_lookup(const char *code, int *status, const char **fr,
    const char **en)
{
	for (size_t i = 0; i < sizeof merrors / sizeof merrors[0]; i++)
		if (strcmp(merrors[i].code, code) == 0) {
			*status = merrors[i].status;
			*fr = merrors[i].fr;
			*en = merrors[i].en;
			return 0;
		}
	return -1;
}

void
mr_err(struct mreply *r, const char *code, const char *field)
{
	int st = 500;
	const char *fr, *en;

	if (meeting_error_lookup(code, &st, &fr, &en) != 0)
		st = 500;
	r->status = st;
	r->code = code;
	r->field = field;
	json_decref(r->doc);
	r->doc = NULL;
}

void
mr_err_article(struct mreply *r, const char *code, const char *field,
    const char *article)
{
	mr_err(r, code, field);
	if (article != NULL && article[0] != '\0')
		r->doc = json_pack("{s:s}", "article", article);
}

/* mr_err with a message sent as the error's "detail" (French) and
 * "detail_en" (English). */
void
mr_err_detail(struct mreply *r, const char *code, const char *field,
    const char *fr, const char *en)
{
	mr_err(r, code, field);
	if (fr != NULL && fr[0] != '\0')
		r->doc = json_pack("{s:s,s:s}", "detail", fr, "detail_en",
		    en != NULL ? en : fr);
}

void
mr_ok(struct mreply *r, json_t *doc)
{
	r->status = 200;
	r->code = "";
	r->field = NULL;
	json_decref(r->doc);
	r->doc = doc;
}

/* ---- strict JSON decoding ---- */

int
mj_object(const uint8_t *body, size_t len, json_t **out, struct mreply *r)
{
	json_error_t e;

	*out = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &e);
	if (*out == NULL) {
		mr_err(r, "malformed_json", NULL);
		return -1;
	}
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		mr_err(r, "not_an_object", NULL);
		return -1;
	}
	return 0;
}

/* Parses body; 0 or -1 with r set. keys: allowed keys, '?' = optional. */
int
mj_parse(const uint8_t *body, size_t len, const char *const *keys,
    size_t nkeys, json_t **out, struct mreply *r)
{
	json_error_t e;
	json_t *doc;
	const char *k;
	json_t *v;

	*out = NULL;
	doc = json_loadb((const char *)body, len,
	    JSON_REJECT_DUPLICATES, &e);
	if (doc == NULL) {
		mr_err(r, "malformed_json", NULL);
		return -1;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		mr_err(r, "not_an_object", NULL);
		return -1;
	}
	json_object_foreach(doc, k, v) {
		int found = 0;
		for (size_t i = 0; i < nkeys; i++) {
			const char *kk = keys[i][0] == '?' ? keys[i] + 1 : keys[i];
			if (strcmp(kk, k) == 0)
				found = 1;
		}
		if (!found) {
			json_decref(doc);
			mr_err(r, "unknown_field", NULL);
			return -1;
		}
	}
	for (size_t i = 0; i < nkeys; i++) {
		if (keys[i][0] == '?')
			continue;
		if (json_object_get(doc, keys[i]) == NULL) {
			json_decref(doc);
			mr_err(r, "missing_field", keys[i]);
			return -1;
		}
	}
	*out = doc;
	return 0;
}

int
mj_hex(json_t *doc, const char *key, uint8_t *out, size_t n, struct mreply *r)
{
	json_t *v = json_object_get(doc, key);

	if (!json_is_string(v) || json_string_length(v) != 2 * n ||
	    hex_decode(out, n, json_string_value(v),
	        json_string_length(v)) != 0) {
		mr_err(r, "invalid_field", key);
		return -1;
	}
	return 0;
}

/* A hex string of even length ≤ 2·cap: OUT *out (malloc'd), *n. */
int
mj_hexvar(json_t *doc, const char *key, uint8_t **out, size_t *n, size_t cap,
    struct mreply *r)
{
	json_t *v = json_object_get(doc, key);
	size_t l;

	*out = NULL;
	if (!json_is_string(v) || (l = json_string_length(v)) == 0 ||
	    l % 2 != 0 || l / 2 > cap)
		goto bad;
	*out = xmalloc(l / 2);
	if (hex_decode(*out, l / 2, json_string_value(v),
	    json_string_length(v)) != 0) {
		free(*out);
		*out = NULL;
		goto bad;
	}
	*n = l / 2;
	return 0;
bad:
	mr_err(r, "invalid_field", key);
	return -1;
}

int
mj_u64(json_t *doc, const char *key, uint64_t max, uint64_t *out,
    struct mreply *r)
{
	json_t *v = json_object_get(doc, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max) {
		mr_err(r, "invalid_field", key);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int
mj_str(json_t *doc, const char *key, size_t max, const char **out,
    struct mreply *r)
{
	json_t *v = json_object_get(doc, key);

	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > max) {
		mr_err(r, "invalid_field", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* ---- statements ---- */

void
stmt_begin(framebuf *fb, uint8_t *buf, size_t cap, const char *kind)
{
	framebuf_init(fb, buf, cap);
	framebuf_field(fb, "scrutin/1", 9);
	framebuf_field(fb, kind, strlen(kind));
}

void
stmt_str(framebuf *fb, const char *s)
{
	framebuf_field(fb, s, strlen(s));
}

int
stmt_verify(const framebuf *fb, const uint8_t pk[32], const uint8_t sig[64])
{
	if (fb->overflow)
		return -1;
	return credential_verify(pk, sig, fb->p, fb->len) == 0 ? 0 : -1;
}

int
stmt_sign(const framebuf *fb, const uint8_t *sk, uint8_t sig[64])
{
	if (fb->overflow || sk == NULL) {
		memset(sig, 0, 64);
		return -1;
	}
	return crypto_sign_detached(sig, NULL, fb->p, fb->len, sk) == 0 ? 0
									: -1;
}

int
ts_fresh(uint64_t ts)
{
	uint64_t now = now_unix();

	return ts + CRED_ACTIVATE_WINDOW >= now &&
	    ts <= now + CRED_ACTIVATE_WINDOW;
}
