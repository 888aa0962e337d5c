"""Which RDF terms each kind of record becomes. Explicit schema.org types on every resource, so that
consumers without inference understand it and SHACL's sh:class needs no reasoner; the CAMEO code each
event type has by default; the terms of roles, statuses, attendance modes and family relations."""

from ..vocab import DIP, OA, ORG, PROV, RDF, SCHEMA, SKOS, XSD

EVENT_TYPES = {
    "Event": (SCHEMA.Event,),
    "DiplomaticEvent": (DIP.DiplomaticEvent, SCHEMA.Event),
    "Meeting": (DIP.Meeting, DIP.DiplomaticEvent, SCHEMA.Event),
    "OfficialVisit": (DIP.OfficialVisit, DIP.DiplomaticEvent, SCHEMA.Event),
    "Summit": (DIP.Summit, DIP.DiplomaticEvent, SCHEMA.Event),
    "StaffTalks": (DIP.StaffTalks, DIP.DiplomaticEvent, SCHEMA.EventSeries, SCHEMA.Event),
    "PhoneCall": (DIP.PhoneCall, DIP.DiplomaticEvent, SCHEMA.Event),
    "Evacuation": (DIP.Evacuation, SCHEMA.Event),
    "MilitaryOperation": (DIP.MilitaryOperation, SCHEMA.Event),
    "Attack": (DIP.Attack, SCHEMA.Event),
    "Founding": (DIP.Founding, SCHEMA.Event),
    "CodedEvent": (DIP.CodedEvent, SCHEMA.Event),
}
#: The CAMEO code of an event type when its record gives none (docs/records.md has the table). Event,
#: DiplomaticEvent, Evacuation and Founding have none: their records must give `cameo` (the schema says so).
DEFAULT_CAMEO = {
    "Meeting": "040",          # Consult, not specified below
    "OfficialVisit": "042",    # Make a visit
    "Summit": "040",           # Consult, not specified below
    "StaffTalks": "046",       # Engage in negotiation
    "PhoneCall": "041",        # Discuss by telephone
    "MilitaryOperation": "190",  # Use conventional military force, not specified below
    "Attack": "180",           # Use unconventional violence, not specified below
}
DOCUMENT_TYPES = {
    "Agreement": (DIP.Agreement, SCHEMA.CreativeWork),
    "Treaty": (DIP.Treaty, DIP.Agreement, SCHEMA.CreativeWork),
    "Declaration": (DIP.Declaration, DIP.Agreement, SCHEMA.CreativeWork),
    "Plan": (DIP.Plan, SCHEMA.CreativeWork),
    "Agenda": (DIP.Agenda, DIP.Plan, SCHEMA.CreativeWork),
    "Initiative": (DIP.Initiative, DIP.Plan, SCHEMA.CreativeWork),
}
ORGANIZATION_TYPES = {
    "Organization": (SCHEMA.Organization, ORG.Organization),
    "GovernmentOrganization": (SCHEMA.GovernmentOrganization, SCHEMA.Organization, ORG.Organization),
    "NGO": (SCHEMA.NGO, SCHEMA.Organization, ORG.Organization),
    "NewsMediaOrganization": (SCHEMA.NewsMediaOrganization, SCHEMA.Organization, ORG.Organization),
    "Delegation": (DIP.Delegation, SCHEMA.Organization, ORG.Organization),
}
PLACE_TYPES = {
    "Place": (SCHEMA.Place,),
    "Country": (SCHEMA.Country, SCHEMA.AdministrativeArea, SCHEMA.Place),
    "City": (SCHEMA.City, SCHEMA.AdministrativeArea, SCHEMA.Place),
    "AdministrativeArea": (SCHEMA.AdministrativeArea, SCHEMA.Place),
    "GovernmentBuilding": (SCHEMA.GovernmentBuilding, SCHEMA.CivicStructure, SCHEMA.Place),
}
PERSON_TYPES = (SCHEMA.Person,)
POST_TYPES = (ORG.Post, SCHEMA.Intangible)
STATEMENT_TYPES = (DIP.ReportedStatement, SCHEMA.Statement)
CLAIM_TYPES = (DIP.Claim, SCHEMA.Claim, RDF.Statement)
PARTNERSHIP_TYPES = (DIP.Partnership, SCHEMA.Intangible)
MEMBERSHIP_TYPES = (ORG.Membership, SCHEMA.Intangible)
TENURE_TYPES = (DIP.Tenure, SCHEMA.Role)
PARTICIPATION_TYPES = (DIP.Participation, SCHEMA.Intangible)
ROLE_TYPES = (ORG.Role, SKOS.Concept, SCHEMA.DefinedTerm)
SCHEDULE_TYPES = (SCHEMA.Schedule,)
CURATION_TYPES = (PROV.Activity, SCHEMA.Action)
CURATOR_TYPES = {"Person": (PROV.Agent, SCHEMA.Person), "Organization": (PROV.Agent, SCHEMA.Organization)}
ANNOTATION_TYPES = (OA.Annotation,)
EXPORT_TYPES = (DIP.EventExport, SCHEMA.Dataset, PROV.Entity)
REPORT_TYPES = (SCHEMA.Article,)
GEO_TYPES = (SCHEMA.GeoCoordinates,)

#: Event record field -> property (all of them take references; participants are mapped apart)
EVENT_LINKS = {
    "location": SCHEMA.location,
    "organizers": SCHEMA.organizer,
    "supportedBy": DIP.supportedBy,
    "superEvents": SCHEMA.superEvent,
    "about": SCHEMA.about,
}
#: Event record field -> property of a whole number
EVENT_COUNTS = {
    "killed": DIP.killed,
    "killedAtLeast": DIP.killedAtLeast,
    "injured": DIP.injured,
    "injuredAtLeast": DIP.injuredAtLeast,
}
#: participants[].role -> (its concept, the direct link from the event to the agent)
ROLES = {
    "host": (DIP.Host, SCHEMA.attendee),
    "head-of-delegation": (DIP.HeadOfDelegation, SCHEMA.attendee),
    "participant": (DIP.Participant, SCHEMA.attendee),
    "observer": (DIP.Observer, SCHEMA.attendee),
    "mediator": (DIP.Mediator, SCHEMA.attendee),
    "signatory": (DIP.Signatory, SCHEMA.attendee),
    "spokesperson": (DIP.Spokesperson, SCHEMA.attendee),
    "victim": (DIP.Victim, DIP.victim),
    "perpetrator": (DIP.Perpetrator, DIP.perpetrator),
    "source": (DIP.SourceActor, DIP.sourceActor),
    "target": (DIP.TargetActor, DIP.targetActor),
}
#: An event coder's figures of an event (events.map_coded): (property, key of the record's `gdelt`, datatype)
CODED_FIGURES = (
    (DIP.gdeltRow, "row", XSD.integer),
    (DIP.gdeltEventId, "eventId", None),
    (DIP.eventQuadClass, "quadClass", XSD.integer),
    (DIP.goldsteinScale, "goldstein", XSD.decimal),
    (DIP.averageTone, "tone", XSD.decimal),
    (DIP.numMentions, "mentions", XSD.integer),
    (DIP.numSources, "sources", XSD.integer),
    (DIP.numArticles, "articles", XSD.integer),
)
EVENT_STATUS = {
    "scheduled": SCHEMA.EventScheduled,
    "postponed": SCHEMA.EventPostponed,
    "cancelled": SCHEMA.EventCancelled,
    "rescheduled": SCHEMA.EventRescheduled,
    "moved-online": SCHEMA.EventMovedOnline,
}
ATTENDANCE_MODES = {
    "online": SCHEMA.OnlineEventAttendanceMode,
    "offline": SCHEMA.OfflineEventAttendanceMode,
    "mixed": SCHEMA.MixedEventAttendanceMode,
}
#: Document record field -> property (references)
DOCUMENT_LINKS = {
    "authors": SCHEMA.author,
    "parties": DIP.party,
    "signatories": DIP.signatory,
    "location": SCHEMA.locationCreated,
    "signedAt": DIP.signedAt,
    "adoptedAt": DIP.adoptedAt,
    "about": SCHEMA.about,
}
#: relations[type=family].relation -> the schema.org property from the person to the relative
FAMILY = {
    "parent": SCHEMA.parent,
    "child": SCHEMA.children,
    "sibling": SCHEMA.sibling,
    "spouse": SCHEMA.spouse,
    "relative": SCHEMA.relatedTo,
}
