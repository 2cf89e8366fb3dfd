function ConvertTo-VmmBackupSchedule {
    <#
    .SYNOPSIS
        Turns a scheduled task the module registered (\VmmBackup\VmmBackup <cadence>) into a
        VmmBackup.BackupSchedule object; returns nothing for any other task.
    #>
    [CmdletBinding()]
    [OutputType('VmmBackup.BackupSchedule')]
    param(
        [Parameter(Mandatory = $true)]
        $Task
    )

    $name = [string]$Task.TaskName
    if ([string]$Task.TaskPath -ne '\VmmBackup\' -or $name -notmatch '^VmmBackup (Daily|Weekly)$') { return }
    $cadence = $Matches[1]
    $items = @()
    $description = [string](Get-VmmPropertyValue -InputObject $Task -Name 'Description')
    if ($description -match 'items: ([A-Za-z0-9.,\- ]+?)\. Registered by') {
        $items = @($Matches[1] -split ',\s*' | Where-Object { $_ })
    }
    $userId = $null
    $logonType = $null
    $principal = Get-VmmPropertyValue -InputObject $Task -Name 'Principal'
    if ($null -ne $principal) {
        $userId = Get-VmmPropertyValue -InputObject $principal -Name 'UserId'
        $logonType = Get-VmmPropertyValue -InputObject $principal -Name 'LogonType'
        if ($null -ne $logonType) { $logonType = [string]$logonType }
    }
    $execute = $null
    $arguments = $null
    $action = @(Get-VmmPropertyValue -InputObject $Task -Name 'Actions') | Select-Object -First 1
    if ($null -ne $action) {
        $execute = Get-VmmPropertyValue -InputObject $action -Name 'Execute'
        $arguments = Get-VmmPropertyValue -InputObject $action -Name 'Arguments'
    }
    $state = Get-VmmPropertyValue -InputObject $Task -Name 'State'
    if ($null -eq $state) { $state = 'Unknown' }
    [pscustomobject][ordered]@{
        PSTypeName = 'VmmBackup.BackupSchedule'
        TaskName   = $name
        TaskPath   = [string]$Task.TaskPath
        Cadence    = $cadence
        Items      = [string[]]$items
        UserId     = $userId
        LogonType  = $logonType
        Execute    = $execute
        Arguments  = $arguments
        State      = [string]$state
    }
}
