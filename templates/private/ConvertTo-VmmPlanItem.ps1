function ConvertTo-VmmPlanItem {
    <#
    .SYNOPSIS
        Turns procedure records of Get-VmmProcedureData into VmmBackup.PlanItem objects, numbered in order.
    #>
    [CmdletBinding()]
    [OutputType('VmmBackup.PlanItem')]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]] $Id,

        [Parameter(Mandatory = $true)]
        [hashtable] $Data
    )

    $byId = @{}
    foreach ($procedure in $Data.Procedures) {
        $byId[$procedure.Id] = $procedure
    }
    $order = 0
    foreach ($procedureId in $Id) {
        $procedure = $byId[$procedureId]
        if ($null -eq $procedure) {
            throw "The module's procedure data has no procedure '$procedureId'."
        }
        $order++
        [pscustomobject][ordered]@{
            PSTypeName   = 'VmmBackup.PlanItem'
            Order        = $order
            Id           = $procedure.Id
            Title        = $procedure.Title
            Section      = $procedure.Section
            Kind         = $procedure.Kind
            Automated    = $procedure.Automated
            Cmdlet       = $procedure.Cmdlet
            Instructions = [string[]]@($procedure.Instructions)
            Cadence      = $procedure.Cadence
            MaxAgeHours  = $procedure.MaxAgeHours
            Condition    = $procedure.Condition
            After        = [string[]]@($procedure.After)
        }
    }
}
