"""Which RDF types each kind of record becomes. Explicit schema.org types on every resource, so that
consumers without inference understand it and SHACL's sh:class needs no reasoner."""

from ..vocab import DIP, ORG, SCHEMA

EVENT_TYPES = {
    "Event": (SCHEMA.Event,),
    "DiplomaticEvent": (DIP.DiplomaticEvent, SCHEMA.Event),
    "Meeting": (DIP.Meeting, DIP.DiplomaticEvent, SCHEMA.Event),
    "OfficialVisit": (DIP.OfficialVisit, DIP.DiplomaticEvent, SCHEMA.Event),
    "Summit": (DIP.Summit, DIP.DiplomaticEvent, SCHEMA.Event),
    "StaffTalks": (DIP.StaffTalks, DIP.DiplomaticEvent, SCHEMA.EventSeries, SCHEMA.Event),
    "Evacuation": (DIP.Evacuation, SCHEMA.Event),
    "MilitaryOperation": (DIP.MilitaryOperation, SCHEMA.Event),
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
PARTNERSHIP_TYPES = (DIP.Partnership, ORG.Membership, SCHEMA.Intangible)
ROLE_TYPES = (ORG.Role, SCHEMA.DefinedTerm)

#: Event record field -> property (all of them take references)
EVENT_LINKS = {
    "location": SCHEMA.location,
    "attendees": SCHEMA.attendee,
    "organizers": SCHEMA.organizer,
    "supportedBy": DIP.supportedBy,
    "superEvents": SCHEMA.superEvent,
    "about": SCHEMA.about,
}
