function Test-VmmVMReplicated {
    <#
    .SYNOPSIS
        True when a VMM virtual machine is protected by replication (Hyper-V Replica / Azure Site Recovery):
        its replication status is set and not one of the "off" values, or it is itself a recovery VM.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)]
        $VM,

        [Parameter(Mandatory = $true)]
        [hashtable] $Model
    )

    if ([bool](Get-VmmPropertyValue $VM $Model.VM.RecoveryVMProperty)) { return $true }
    $status = [string](Get-VmmPropertyValue $VM $Model.VM.ReplicationProperty)
    if (-not $status) { return $false }
    return ($Model.VM.ReplicationOffValues -notcontains $status)
}
